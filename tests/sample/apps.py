from django.apps import AppConfig


class SampleConfig(AppConfig):
    """A throwaway module installed only in the test settings.

    It has models and a registry and nothing else: the tests prove that
    one registration is enough for admin, GraphQL and import/export.
    """

    name = "tests.sample"
    label = "sample"
