"""Who may do what with the directory. Every route, API call and CLI command asks here."""
from meetings.directory.models import User

MANAGERS = ("admin", "secretary")


def can_manage_directory(user: User | None) -> bool:
    """Admins and secretaries manage users, units and rooms."""
    return bool(user and user.is_authenticated and user.active and user.role in MANAGERS)


def can_assign_role(actor: User, role: str) -> bool:
    """Only an admin makes (or edits) another admin."""
    return can_manage_directory(actor) and (role != "admin" or actor.role == "admin")


def can_edit_user(actor: User, target: User) -> bool:
    return can_manage_directory(actor) and (target.role != "admin" or actor.role == "admin")


def _active_admin(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.active and user.role == "admin")


def can_set_password(actor: User, target: User) -> bool:
    """Only an admin sets another person's password: whoever sets it can sign in as that person
    (read a leader's private notes, vote as them). Everyone changes their own on the profile page,
    with the current password."""
    return _active_admin(actor)


def can_see_outbox(user: User | None) -> bool:
    """Outgoing e-mail (with addresses and errors) is for administrators only."""
    return _active_admin(user)


def can_set_signing_certificate(user: User | None) -> bool:
    """The office's signing key (PKCS#12) is set, replaced and removed by administrators only."""
    return _active_admin(user)
