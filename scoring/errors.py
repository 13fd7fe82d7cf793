"""A refusal shown to the user as it is: `message` is one translated line, and nothing was
written. ServiceError (services), WorkbookError (workbooks) and ranking.InvalidScore are its
kinds, so that a view can catch what it expects and show the message."""


class Refusal(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
