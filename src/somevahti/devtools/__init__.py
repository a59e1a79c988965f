"""Tools for tests and benchmarks (a throwaway PostgreSQL cluster); not used by the product at run time."""
