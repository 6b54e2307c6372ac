from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from ..middleware import NUL_MESSAGE


class NulFreeJSONParser(JSONParser):
    """JSON bodies whose strings (keys and values) hold no NUL character.

    The JSON twin of ``core.middleware.RejectNulBytesMiddleware``, which sees only query strings
    and form bodies: PostgreSQL refuses NUL in text, so "\\u0000" reaching a lookup was a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _holds_nul(data):
            raise ParseError(NUL_MESSAGE)
        return data


def _holds_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False
