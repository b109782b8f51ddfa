"""Finding whom a command is about, and who runs it."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from shelter.records.models import Person


def person_or_error(ref: str) -> Person:
    """The person with id ``ref`` (as the web interface shows it: /persons/<id>/); never looked up by
    name, so that no name has to be typed into a shell history."""
    try:
        person = Person.objects.select_related("case").filter(pk=ref).first()
    except (ValueError, ValidationError):
        person = None
    if person is None:
        raise CommandError(f"no person {ref!r}: give the id shown in the person's address (/persons/<id>/)",
                           returncode=2)
    if person.case.erased:
        raise CommandError("this person's case is crypto-erased", returncode=2)
    return person


def acting_user(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user {username!r}", returncode=2)
    return user
