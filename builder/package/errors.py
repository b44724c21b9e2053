"""The one error a package command reports (SCORM 1.2/2004, cmi5): kept apart so every packaging module
can raise it without importing another."""


class PackageError(Exception):
    """A problem that stops the package, as ``path[:line]: message``."""
