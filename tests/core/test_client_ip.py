"""observatoire.core.client.client_ip: the one function that decides the client's address."""

import pytest
from django.test import RequestFactory

from observatoire.core.client import client_ip


def request(remote_addr, forwarded=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.fixture
def proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10", "2001:db8:ffff::/48"]
    return settings


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(proxies):
    assert client_ip(request("198.51.100.7", "203.0.113.1, 10.0.0.1")) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_forwarded_client_is_used(proxies):
    assert client_ip(request("10.1.2.3", "203.0.113.1")) == "203.0.113.1"


def test_the_rightmost_untrusted_hop_wins_over_what_the_client_wrote(proxies):
    # The client wrote "1.2.3.4" itself; the proxy appended the address it really saw.
    assert client_ip(request("10.1.2.3", "1.2.3.4, 203.0.113.1")) == "203.0.113.1"


def test_a_chain_of_trusted_proxies_is_skipped(proxies):
    forwarded = "1.2.3.4, 203.0.113.1, 192.0.2.10, 10.9.9.9"
    assert client_ip(request("10.1.2.3", forwarded)) == "203.0.113.1"


def test_a_chain_made_only_of_trusted_proxies_ends_at_the_first_one(proxies):
    assert client_ip(request("10.1.2.3", "10.0.0.7, 192.0.2.10")) == "10.0.0.7"


def test_a_trusted_proxy_without_header_is_the_client(proxies):
    assert client_ip(request("10.1.2.3")) == "10.1.2.3"
    assert client_ip(request("10.1.2.3", " , ")) == "10.1.2.3"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("not-an-ip", "10.1.2.3"),  # unreadable hop: stop at the proxy that forwarded it
        ("203.0.113.1, <script>", "10.1.2.3"),
        ("<script>, 203.0.113.1", "203.0.113.1"),  # garbage left of the real hop is never reached
        ("203.0.113.1:51234", "203.0.113.1"),  # port removed
        ("[2001:db8::1]:443", "2001:db8::1"),  # bracketed IPv6 with a port
        ("2001:db8::1", "2001:db8::1"),
        ("2001:DB8:0::1", "2001:db8::1"),  # normalised
        ("203.0.113.1\x00", "10.1.2.3"),
        ("9999.1.1.1", "10.1.2.3"),
    ],
)
def test_odd_forwarded_values(proxies, forwarded, expected):
    assert client_ip(request("10.1.2.3", forwarded)) == expected


def test_an_ipv6_proxy_network_is_trusted(proxies):
    assert client_ip(request("2001:db8:ffff::5", "203.0.113.1")) == "203.0.113.1"
    assert client_ip(request("2001:db8:fffe::5", "203.0.113.1")) == "2001:db8:fffe::5"


@pytest.mark.parametrize("remote_addr", ["", "garbage", "300.1.1.1"])
def test_an_unreadable_peer_gives_no_address(proxies, remote_addr):
    assert client_ip(request(remote_addr, "203.0.113.1")) is None


def test_cidr_boundaries(settings):
    settings.TRUSTED_PROXIES = ["172.16.0.0/30"]
    assert client_ip(request("172.16.0.3", "203.0.113.1")) == "203.0.113.1"
    assert client_ip(request("172.16.0.4", "203.0.113.1")) == "172.16.0.4"


def test_a_host_address_written_with_host_bits_is_accepted_as_a_network(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5/24"]  # strict=False: read as 10.0.0.0/24
    assert client_ip(request("10.0.0.200", "203.0.113.1")) == "203.0.113.1"


def test_an_ipv6_zone_is_dropped(proxies):
    """PostgreSQL's inet column refuses "fe80::1%eth0": the audit row must still be written."""
    assert client_ip(request("fe80::1%eth0")) == "fe80::1"
    assert client_ip(request("10.1.2.3", "fe80::2%25")) == "fe80::2"
