"""placeholder"""


def register(sub, add_command) -> None:
    pass
