def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: runs the real embedding model (seconds); part of the normal suite"
    )
