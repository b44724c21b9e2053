"""Bring courses in from other tools and take question banks out (issue 16).

One module per format: ``twine`` (Twee 3 text, Twine 2 published HTML and archives) and
``gift`` / ``aiken`` read other tools' files into our quiz and scenario YAML; ``gift``,
``moodle`` (Moodle XML) and ``qti`` (IMS QTI 2.1 content package) write a quiz out for an
LMS question bank.  ``common`` holds what they share (the report, ids, YAML output, checking
the result), ``markup`` turns our Markdown into the HTML the exports carry, and ``cli`` the
``course import`` / ``course export`` subcommands.

Every importer returns plain data in our file format plus a ``Problems`` list of
``path:line: message`` notes about what could not be mapped; nothing is dropped silently.
"""
