import pytest
from django.core.exceptions import ValidationError

from modules.core.models import Company
from modules.core.scoping import scope_queryset


@pytest.mark.parametrize("business_id", ["2077474-0", "0737546-2", "1572860-0"])
def test_valid_business_ids_are_accepted(db, business_id):
    company = Company(name="Oy", business_id=business_id)

    company.full_clean()


@pytest.mark.parametrize("business_id", ["0737546-1", "12345", "07375462"])
def test_invalid_business_id_is_refused_with_a_message(db, business_id):
    company = Company(name="Oy", business_id=business_id)

    with pytest.raises(ValidationError) as error:
        company.full_clean()

    assert "business_id" in error.value.message_dict


def test_user_sees_only_companies_they_belong_to(company_a, company_b, make_user):
    user = make_user("anna", company_a)

    visible = scope_queryset(Company.objects.all(), user)

    assert list(visible) == [company_a]
