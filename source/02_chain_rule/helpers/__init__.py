"""What the course's notebooks import: reference implementations, the check harness
used by the test cells, the mistake catalogue's loader, plots and widgets."""
