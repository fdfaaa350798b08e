"""ZhianTec / Grow R30x, R503 UART fingerprint modules: codec, driver, simulator."""
