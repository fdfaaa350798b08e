"""ESC/POS receipt printers over USB (pyusb) and serial (pyserial), with a simulator."""
