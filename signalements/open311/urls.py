"""GeoReport v2 resources; the suffix (.json or .xml) picks the format, any other one gets a 404."""

from django.urls import re_path

from . import views

app_name = "open311"

FORMAT = r"\.(?P<fmt>[^/.]+)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.service_list, name="services"),
    re_path(r"^services/(?P<service_code>[^/.]+)" + FORMAT, views.service_definition, name="service"),
    re_path(r"^requests" + FORMAT, views.service_requests, name="requests"),
    re_path(r"^requests/(?P<service_request_id>[^/.]+)" + FORMAT, views.service_request, name="request"),
    re_path(r"^tokens/(?P<token>[^/.]+)" + FORMAT, views.token_lookup, name="token"),
]
