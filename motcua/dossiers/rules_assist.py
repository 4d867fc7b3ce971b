"""Who may help a citizen submit: the members of a community digital technology team (tổ công nghệ số cộng đồng).

A team's members are kept in the registry (CommunityTeam.members, managed by administrators). Only a member of a
team may ask a citizen's consent in that team's name and prepare a dossier for them; the dossier stays the
citizen's (motcua.dossiers.rules.can_view_as_applicant lets the assisting member see and edit it too).
"""

from __future__ import annotations


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_team_member(user, team) -> bool:
    """The user is an active account and a member of this team."""
    return _active(user) and team is not None and team.members.filter(pk=user.pk).exists()


def is_any_team_member(user) -> bool:
    """The user belongs to at least one team (may open the assisted-submission pages)."""
    return _active(user) and user.community_teams.exists()
