"""factory-boy factories for master data. Tickets are made through tickets.services only."""

import factory
from django.contrib.auth import get_user_model
from stdnum.cn import uscc as stdnum_uscc

from enterprises.models import (
    Category,
    Coverage,
    Department,
    District,
    Enterprise,
    EnterpriseMember,
    IndustryChain,
    Official,
)

PASSWORD = "correct horse battery"


def valid_uscc(n: int) -> str:
    body = f"91220101{n:09d}"
    return body + stdnum_uscc.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.django.Password(PASSWORD)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"第{n}区")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"第{n}局")


class ChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryChain
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"chain-{n}")
    name = factory.Sequence(lambda n: f"产业链{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.Sequence(lambda n: f"类别{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.Sequence(valid_uscc)
    district = factory.SubFactory(DistrictFactory)
    industry_chain = factory.SubFactory(ChainFactory)
    revenue_tier = "b"


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"干部{n}")
    level = Official.Level.DIVISION


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseMember

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"企业用户{n}")


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    official = factory.SubFactory(OfficialFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = Coverage.Role.LIAISON
