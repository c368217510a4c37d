"""The GraphQL root schema, built from the module registry."""

import graphene


class Query(graphene.ObjectType):
    """Root query; registered models add their connections here."""

    version = graphene.String(description="The product version.")

    def resolve_version(root, info):
        return "0.1"


schema = graphene.Schema(query=Query)
