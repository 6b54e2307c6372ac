class FilingError(Exception):
    """The report cannot be filed; ``field`` names the input at fault, the message is French."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field
