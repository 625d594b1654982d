"""Pelican adapter for the govportal package: ``register()`` only connects signals."""
from pelican import signals

from .generator import PortalGenerator, fail_on_logged_errors, publish_linked_attachments


def get_generators(pelican):
    return PortalGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.initialized.connect(fail_on_logged_errors)
    signals.static_generator_finalized.connect(publish_linked_attachments)
