"""ZVT card terminals (PA00P015/PA00P016): codec, transport, driver, simulator."""
