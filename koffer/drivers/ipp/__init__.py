"""A4 printing over IPP (CUPS or an IPP Everywhere printer), with a simulator."""
