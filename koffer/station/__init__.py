"""The station: the town hall's side of a relay (``koffer station …``).

It holds its tenant's HPKE private key (in the encrypted store), pulls the
tenant's sealed envelopes from the relay, opens and checks them and exports
them for the registry software. See :mod:`koffer.station.service`.
"""
