from django.contrib import admin

from .models import Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "expansion"]
    search_fields = ["abbreviation", "expansion", "description"]
    fields = ["abbreviation", "expansion", "description"]
