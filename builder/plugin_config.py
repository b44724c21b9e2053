"""The course plugin's settings in mkdocs.yml (``plugins: - course: ...``), as MkDocs config classes.

Kept apart from the plugin so the mkdocs.yml checks (builder/config_yaml.py) can list the setting
names without importing the plugin, which imports the checks.
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class CompletionConfig(Config):
    pass_ = c.Type(list, default=[])  # quiz ids to pass; filled from `pass`
    finish = c.Type((str, list), default="all")  # scenario ids to finish, or "all"
    assessment = c.Optional(c.Type(str))  # the quiz whose score is the course score


class CoursePluginConfig(Config):
    quizzes_dir = c.Type(str, default="quizzes")
    id = c.Optional(c.Type(str))  # required: settings.py reports it missing at its line
    previous_ids = c.Type(list, default=[])  # earlier ids whose progress files still import
    version = c.Type(str, default="1")
    progress_version = c.Type(int, default=1)
    completion = c.Type(dict, default={})
    xapi = c.Optional(c.Type((str, dict)))  # issue 15: same-origin LRS endpoint (builder/records/config.py)
    feedback_warnings = c.Type(bool, default=True)  # false: no warning for answers without feedback
    # issue 14: interface strings the author changes, e.g. {"quiz.check": "Check my answers"};
    # any shape passes here: `course check` warns about each bad entry at its line
    messages = c.Optional(c.Type(object))
