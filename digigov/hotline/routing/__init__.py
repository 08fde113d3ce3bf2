"""12345 routing: the level-1 category classifier that sends an appeal on or to a dispatcher's queue.

Public API (database reads in ``digigov.hotline.routing.store``, imported on their own; the writes are
``digigov.hotline.services.routing_models``):

* ``train(data, *, params=None) -> RoutingModel`` and ``fit(labelled, *, pool, taxonomy, params)``;
* ``Router(model, version)``: ``suggest(subject, body, top=3) -> list[Suggestion]``, ``suggest_many(...)``,
  ``route(subject, body, *, threshold=None) -> Routing`` (below ``settings.HOTLINE_ROUTING_THRESHOLD`` the
  appeal needs a dispatcher);
* ``cross_validate(data, ...) -> CVReport``: repeated stratified k-fold, leak-free (see ``evaluation``);
* ``load_shipped(data_dir)`` / ``read_messages(path)``: the CSV files;
* ``store.active_router()``, ``store.active_version()``, ``store.gather_training_data(data_dir=None)``;
* ``services.routing_models.publish_version(model, *, actor, activate=True)``,
  ``services.routing_models.activate_version(*, actor, version)``,
  ``services.routing_models.ensure_active_router()``.
"""

from digigov.hotline.routing.data import Example, MessageFileError, TrainingData, load_shipped, read_messages
from digigov.hotline.routing.evaluation import CVReport, baseline_scorer, cross_validate, overlap
from digigov.hotline.routing.files import ModelFileError, load_router
from digigov.hotline.routing.model import ALGORITHM, Params, Router, Routing, RoutingModel, Suggestion, fit, train

__all__ = [
    "ALGORITHM",
    "CVReport",
    "Example",
    "MessageFileError",
    "ModelFileError",
    "Params",
    "Router",
    "Routing",
    "RoutingModel",
    "Suggestion",
    "TrainingData",
    "baseline_scorer",
    "cross_validate",
    "fit",
    "load_router",
    "load_shipped",
    "overlap",
    "read_messages",
    "train",
]
