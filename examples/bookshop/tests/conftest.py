import pytest  # The only change to run this suite on every backend: the endpoint is ddbmatrix's.


@pytest.fixture(scope="session")
def ddb_url(ddb_endpoint):
    return ddb_endpoint
