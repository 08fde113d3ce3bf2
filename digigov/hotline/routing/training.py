"""One call for "train a model from this data folder": used by the demo loader and the commands."""

from __future__ import annotations

from pathlib import Path

from digigov.hotline.routing.model import Params, RoutingModel, train
from digigov.hotline.routing.store import gather_training_data


def train_from_data_dir(data_dir: Path | None = None, *, params: Params | None = None) -> RoutingModel:
    """Train on the shipped files in ``data_dir`` (default ``settings.HOTLINE_DATA_DIR``) plus the labels people
    confirmed (``RoutingLabel``). Publish the result with ``services.routing_models.publish_version``."""
    return train(gather_training_data(data_dir), params=params)
