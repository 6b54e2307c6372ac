from rest_framework.views import exception_handler


def json_exception_handler(exc, context):
    """DRF's handler, with every error body an object carrying a `detail`."""
    response = exception_handler(exc, context)
    if response is not None and "detail" not in response.data:
        response.data = {"detail": "Paramètres invalides.", "errors": response.data}
    return response
