"""Report photos served through Django, with the access rules of their report.

``MEDIA_ROOT`` is never served as a whole: a photo (or its thumbnail) is answered only to whom
may see the report: anyone once it is published, the holder of its tracking token, the agents
who act on it. Local files are streamed; on object storage (S3) the client is redirected to a
presigned URL that expires within minutes, so a copied link stops working.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control, patch_vary_headers

from . import workflow
from .models import Photo

# A published photo may be kept by shared caches, not for long: a manager may unpublish it.
PUBLIC_MAX_AGE = 3600
PRIVATE_MAX_AGE = 600


def photo_of(pk, token=None):
    photo = get_object_or_404(Photo.objects.select_related("signalement__commune"), pk=pk)
    if token is not None and token != photo.signalement.token:
        raise Http404
    return photo


def may_see(user, photo, token=None):
    report = photo.signalement
    return report.is_published or bool(workflow.actors_for(user, report, token=token))


def photo_response(photo, *, thumbnail, public):
    """The file (or a short-lived presigned URL to it), with cache headers fit for its audience."""
    field = photo.thumbnail if thumbnail and photo.thumbnail else photo.image
    storage = field.storage
    if getattr(storage, "querystring_auth", False):
        # django-storages' S3 backend signs the URL locally: the bytes never cross our workers.
        response = HttpResponseRedirect(storage.url(field.name, expire=settings.SIGNALEMENT_PHOTO_URL_EXPIRE))
        patch_cache_control(response, no_store=True)
        return response
    try:
        stream = storage.open(field.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(stream, content_type="image/jpeg")
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, max_age=PRIVATE_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
    return response


def serve(request, pk, *, thumbnail=False, token=None):
    photo = photo_of(pk, token)
    if not may_see(request.user, photo, token):
        # Not found rather than forbidden: whether an unpublished report has photos is private too.
        raise Http404
    # Public only when nothing personal opened it: a token URL or an agent's view stays private.
    public = photo.signalement.is_published and token is None and not request.user.is_authenticated
    return photo_response(photo, thumbnail=thumbnail, public=public)
