"""Course builder: Markdown lessons + YAML quizzes and scenarios -> an interactive static site.

Modules, one job each:
  loader       YAML -> plain data plus the line of every key and item (never a traceback)
  schema       pydantic models of the quiz and scenario formats (and the JSON Schema for editors)
  checks       rules the schema cannot express (correct options, scenario graph)
  course       loads a whole course once: every file, every problem, every embed
  render       quiz/scenario HTML from Jinja2 templates; author Markdown, sanitized
  markdown_ext the `::: quiz <id>` block directive (a Python-Markdown extension)
  plugin       the thin MkDocs plugin: load once, watch, fail the build, write the manifest
  cli          the `course` command
"""

__version__ = "0.1.0"
