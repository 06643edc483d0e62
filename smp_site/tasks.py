"""
The background jobs of the site layer (Celery; see smp_site/celery.py).
"""

from celery import shared_task

from . import staff_sign_in


@shared_task
def send_staff_password_reset(email):
    """A staff password reset asked for with this address: the reset email,
    if it is an active staff account's (smp_site/staff_sign_in.py). Run for
    every address asked for, so that the request itself never looks."""
    staff_sign_in.send_password_reset(email)
