"""Who is asking: the one place pages, the API and views of every domain get the signed-in user.

* ``current_user(request)``: the page's user. Pages are guarded by ``@access`` (``policies.py``), so by the time
  a view asks, the user is signed in; anonymous access here is a programming error, not a 403.
* ``api_actor(request)``: the API operation's user, as its auth (bearer token or verified session) set it.
* ``staff_profile(user)``: a staff member's ``StaffProfile`` (department and region), or None for citizens and
  accounts without one.
"""

from __future__ import annotations

from django.http import HttpRequest

from digigov.identity.models import StaffProfile, User


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "a page behind @access asked for its user without one"
    return user


def api_actor(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    assert isinstance(user, User), "an API operation with auth asked for its user without one"
    return user


def staff_profile(user: User) -> StaffProfile | None:
    profile = getattr(user, "staff", None)
    return profile if isinstance(profile, StaffProfile) else None
