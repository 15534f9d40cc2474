"""Who may do what through the API: everyone reads; analysts write.

"Analyst" means the model permission the admin checks (the analyst group has add/change on
claims, citations and aliases and change on gap scores; see `releases.permissions`), so the
admin and the API agree on who may edit what. A revoked or unknown token is refused (401)
before this runs; a signed-in user without the permission gets 403.
"""

from __future__ import annotations

from rest_framework.permissions import DjangoModelPermissions


class AnalystWritesOrReadOnly(DjangoModelPermissions):
    # Reads are open, anonymous ones included; model permissions apply to writes only.
    authenticated_users_only = False
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": [],
        "HEAD": [],
        "OPTIONS": [],
    }

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        return super().has_permission(request, view)
