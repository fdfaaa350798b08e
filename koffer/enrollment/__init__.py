"""The suitcase's enrollment at the back end and its enrolled identity.

- :mod:`~koffer.enrollment.enroll`: redeeming a token online, or a request
  and a signed response carried on removable media;
- :mod:`~koffer.enrollment.device`: the enrolled credentials, kept encrypted
  under the store key;
- :mod:`~koffer.enrollment.public`: the public part (device id, back-end URL,
  client certificate), readable by ``koffer doctor`` without a passphrase;
- :mod:`~koffer.enrollment.bundle`: export and import of the enrollment for
  a replacement laptop.

The wire format both sides share (token, signed response) stays in
:mod:`koffer.crypto.enrollment`, since the back end issues it and sits below
this package in the layers.
"""
