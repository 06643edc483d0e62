"""The users' list in the staff admin: Django's, with the action that resets
a person's two-factor sign-in (smp_site.two_factor.reset_two_factor)."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .two_factor import reset_two_factor

User = get_user_model()


class StaffUserAdmin(UserAdmin):
    actions = ["reset_two_factor_sign_in"]

    @admin.action(
        description="Reset two-factor sign-in (for a lost or replaced phone)", permissions=["change"]
    )
    def reset_two_factor_sign_in(self, request, queryset):
        people = list(queryset)
        for user in people:
            reset_two_factor(user, by=request.user)
        names = ", ".join(user.get_username() for user in people)
        then = (
            "sets up an authenticator app again straight after it"
            if settings.STAFF_TWO_FACTOR
            else "can set up an authenticator app again from the staff admin"
        )
        self.message_user(
            request,
            f"Two-factor sign-in reset for {names}. Each logs in with their password next time and {then}.",
            messages.SUCCESS,
        )


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
