import pathlib

import pytest

import nestor as nest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def reset():
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.WARNING
    yield
