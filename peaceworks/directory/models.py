"""Networks and member organisations (the tenants of Peaceworks)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peaceworks.core.models import TimeStampedModel


class Network(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.acronym or self.name


class Organisation(TimeStampedModel):
    """A member organisation (or the network's secretariat, ``is_secretariat``)."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("A short unique code used in imports.")
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 alpha-2 code."))
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_secretariat = models.BooleanField(_("is the network secretariat"), default=False)
    networks: models.ManyToManyField[Network, Affiliation] = models.ManyToManyField(
        Network, through="Affiliation", related_name="organisations", verbose_name=_("networks")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Affiliation(TimeStampedModel):
    class MembershipType(models.TextChoices):
        FULL = "full", _("Full member")
        CANDIDATE = "candidate", _("Candidate")
        AFFILIATED = "affiliated", _("Affiliated")
        PARTNER = "partner", _("Partner")
        SUPPORTER = "supporter", _("Supporter")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("network")
    )
    membership_type = models.CharField(
        _("membership type"),
        max_length=20,
        choices=MembershipType.choices,
        default=MembershipType.FULL,
    )

    class Meta:
        ordering = ["network__name", "organisation__name"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "network"], name="directory_affiliation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.network}"
