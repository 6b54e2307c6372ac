import factory
from django.contrib.auth.models import Group

from observatoire.accounts.enums import OrganisationType
from observatoire.accounts.models import Organisation, User

PASSWORD = "mot-de-passe-de-test-2026"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["nom"]

    nom = factory.Sequence(lambda n: f"Partenaire {n}")
    type = OrganisationType.ETABLISSEMENT_PUBLIC


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@exemple.fr")
    first_name = "Dominique"
    last_name = "Durand"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, role, **kwargs):
        if create and role:
            self.groups.add(Group.objects.get(name=role))

    @factory.post_generation
    def communes(self, create, communes, **kwargs):
        if create and communes:
            self.communes.set(communes)

    @factory.post_generation
    def _persist_password(self, create, extracted, **kwargs):
        if create:
            self.save()
