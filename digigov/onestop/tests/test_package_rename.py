"""The 一网通办 package moved from `digigov.services` to `digigov.onestop`; what a database holds did not.

A database made before the move (its tables, its applied migrations, its audit chain) must keep working with no
migration: the app label, table names and migration names below are what that database recorded.
"""

from django.apps import apps
from django.db.migrations.loader import MigrationLoader

TABLES_BEFORE_THE_MOVE = {
    "services_application",
    "services_applicationmaterial",
    "services_applicationtransition",
    "services_bundle",
    "services_bundleapplication",
    "services_bundleitem",
    "services_rating",
    "services_rectificationtask",
    "services_requiredmaterial",
    "services_serviceitem",
}
MIGRATIONS_BEFORE_THE_MOVE = {
    "0001_catalogue_applications_bundles_ratings",
    "0002_open_worklist_index",
    "0003_application_handling_working_days",
}


def test_the_package_is_onestop_and_the_app_label_stays_services():
    config = apps.get_app_config("services")
    assert config.name == "digigov.onestop"
    assert config.verbose_name == "一网通办"


def test_every_table_of_an_older_database_is_still_a_model_table():
    tables = {model._meta.db_table for model in apps.get_app_config("services").get_models()}
    assert tables >= TABLES_BEFORE_THE_MOVE


def test_the_migrations_an_older_database_applied_are_still_the_graphs_first_nodes():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = {name for app, name in loader.graph.nodes if app == "services"}
    assert names >= MIGRATIONS_BEFORE_THE_MOVE
