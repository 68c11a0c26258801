"""Master data: districts, departments, chains, enterprises, officials and who covers whom (包保)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .validators import normalize_uscc, validate_uscc


class District(models.Model):
    """辖区: a county, city district or development zone."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("County or county-level city")
        URBAN = "urban", _("City district")
        ZONE = "zone", _("Development zone")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.URBAN)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """部门 / 承办单位: a government department that handles problems."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    short_name = models.CharField(_("short name"), max_length=16, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class IndustryChain(models.Model):
    """产业链: a key chain, with its chain chief (链长), a leader."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    chief = models.ForeignKey(
        "Official",
        verbose_name=_("chain chief"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chains_led",
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """问题类型: an admin-editable tree; each category carries its three clocks (working days)."""

    class Complexity(models.TextChoices):
        SIMPLE = "simple", _("Simple")
        COMPLEX = "complex", _("Complex")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    complexity = models.CharField(
        _("complexity"), max_length=8, choices=Complexity, default=Complexity.SIMPLE
    )
    acceptance_days = models.PositiveSmallIntegerField(_("accept within (working days)"), default=1)
    progress_days = models.PositiveSmallIntegerField(
        _("first progress within (working days)"), default=3
    )
    completion_days = models.PositiveSmallIntegerField(
        _("complete within (working days)"),
        default=7,
        help_text=_(
            "7 working days for simple problems, 22 for complex ones (the 13710 practice)."
        ),
    )
    is_active = models.BooleanField(_("open for new problems"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(acceptance_days__gte=1)
                & Q(progress_days__gte=1)
                & Q(completion_days__gte=1),
                name="category_clocks_positive",
                violation_error_message=_("Every deadline must be at least one working day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} · {self.name}" if self.parent_id else self.name


class Enterprise(models.Model):
    class RevenueTier(models.TextChoices):
        A = "a", _("≥ 10 billion yuan")
        B = "b", _("≥ 1 billion yuan")
        C = "c", _("≥ 100 million yuan")
        D = "d", _("Below 100 million yuan")

    class SrdiLevel(models.TextChoices):
        NATIONAL = "national", _("National little giant")
        PROVINCIAL = "provincial", _("Provincial SRDI")
        MUNICIPAL = "municipal", _("Municipal SRDI")
        NONE = "none", _("None")

    name = models.CharField(_("name"), max_length=128)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters, as on the business licence."),
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="enterprises"
    )
    industry_chain = models.ForeignKey(
        IndustryChain,
        verbose_name=_("industry chain"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    revenue_tier = models.CharField(
        _("revenue tier"), max_length=1, choices=RevenueTier, default=RevenueTier.D
    )
    srdi_level = models.CharField(
        _("SRDI level"), max_length=16, choices=SrdiLevel, default=SrdiLevel.NONE
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["district", "name"], name="enterprise_district_idx"),
            models.Index(fields=["industry_chain"], name="enterprise_chain_idx"),
            # the office's list, a page of a province's 135,000 by name
            models.Index(fields=["name", "id"], name="enterprise_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        self.uscc = normalize_uscc(self.uscc or "")
        super().clean_fields(exclude=exclude)


class Official(models.Model):
    """干部: a user who serves enterprises, with department, level and (for leaders) scope.

    Roles beyond the plain official are flags: the campaign office (领导小组办公室) and a
    department's coordinator (承办单位). A leader is an official above division level; its
    report scope is its district, or the whole city when it has none.
    """

    class Level(models.TextChoices):
        CITY_LEADER = "city_leader", _("City leader")
        BUREAU_LEADER = "bureau_leader", _("Bureau leader")
        DIVISION = "division", _("Division official")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="official",
    )
    name = models.CharField(_("name"), max_length=64)
    title = models.CharField(_("title"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
    )
    level = models.CharField(_("level"), max_length=16, choices=Level, default=Level.DIVISION)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
        help_text=_("For leaders: the district whose reports they read; empty means the city."),
    )
    is_office = models.BooleanField(_("campaign office"), default=False)
    is_coordinator = models.BooleanField(_("department coordinator"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_coordinator=False) | Q(department__isnull=False),
                name="coordinator_has_department",
                violation_error_message=_("A department coordinator must belong to a department."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name

    LEVEL_RANK = {Level.DIVISION: 0, Level.BUREAU_LEADER: 1, Level.CITY_LEADER: 2}

    @property
    def rank(self) -> int:
        return self.LEVEL_RANK[self.level]

    @property
    def is_leader(self) -> bool:
        return self.level != self.Level.DIVISION


class EnterpriseMember(models.Model):
    """企业用户: a user who files and follows problems for one enterprise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="enterprise_member",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("enterprise user")
        verbose_name_plural = _("enterprise users")

    def __str__(self) -> str:
        return f"{self.name} · {self.enterprise}"


class Coverage(models.Model):
    """包保关系: an official covers an enterprise, as its primary leader or as a liaison."""

    class Role(models.TextChoices):
        PRIMARY = "primary", _("Primary covering leader")
        LIAISON = "liaison", _("Liaison")

    official = models.ForeignKey(
        Official, verbose_name=_("official"), on_delete=models.CASCADE, related_name="coverages"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="coverages"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role, default=Role.LIAISON)
    since = models.DateField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("coverage")
        verbose_name_plural = _("coverages")
        constraints = [
            models.UniqueConstraint(
                fields=["official", "enterprise"],
                name="coverage_unique_pair",
                violation_error_message=_("This official already covers this enterprise."),
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(role="primary"),
                name="coverage_one_primary_per_enterprise",
                violation_error_message=_("This enterprise already has a primary covering leader."),
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "role"], name="coverage_enterprise_role_idx")]

    def __str__(self) -> str:
        return f"{self.official} → {self.enterprise} ({self.get_role_display()})"
