"""The one way every domain's pages and API operations get the signed-in user, and a staff member's profile."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from digigov.identity.current import api_actor, current_user, staff_profile
from digigov.identity.tests.factories import citizen, staff_of


def test_current_user_is_the_pages_signed_in_user(db: None) -> None:
    user = citizen()
    request = RequestFactory().get("/")
    request.user = user
    assert current_user(request) is user


def test_an_anonymous_page_user_is_a_programming_error_not_a_user(db: None) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(AssertionError):
        current_user(request)


def test_api_actor_is_what_the_operations_auth_set(db: None) -> None:
    user = citizen()
    request = RequestFactory().get("/api/v1/")
    request.auth = user  # type: ignore[attr-defined]
    assert api_actor(request) is user
    with pytest.raises(AssertionError):
        api_actor(RequestFactory().get("/api/v1/"))


def test_staff_profile_of_staff_and_of_citizens(db: None) -> None:
    profile = staff_of("wangjianguo")
    assert staff_profile(profile.user) == profile
    assert staff_profile(citizen()) is None
