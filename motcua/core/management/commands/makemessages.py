"""makemessages without fuzzy matching: a guessed English translation is worse than an empty one, which the
translation test reports."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
