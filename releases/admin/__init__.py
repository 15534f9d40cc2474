"""The curation admin, split along the domain like `releases.models`.

Importing the submodules registers their ModelAdmins with the default admin site.
"""

from releases.admin import catalogue, claims, leaderboards, scores

__all__ = ["catalogue", "claims", "leaderboards", "scores"]
