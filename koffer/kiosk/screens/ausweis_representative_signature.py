"""The legal representatives sign (PAuswG § 23 Abs. 3 Nr. 10, PassG § 21 Abs. 2 Nr. 13).

The step follows the applicant's signature when representatives are recorded
(:meth:`~koffer.casework.ausweis_draft.AusweisDraft.steps`). It works like the
applicant's signature step: declaration on the pad, live ink, Bestätigen;
each representative signs in turn, stored as
``signature-representative-<n>.png`` and its strokes.
"""

from __future__ import annotations

from koffer.casework.ausweis_draft import REPRESENTATIVE_SIGNATURE, SIGNATURE_PNG
from koffer.casework.passport_draft import RepresentativeDraft, representative_signature_names
from koffer.kiosk.screens.ausweis_signature import AusweisSignatureScreen

REPRESENTATIVE_DECLARATION = (
    "Ich beantrage als gesetzliche Vertretung den Ausweis für die antragstellende Person "
    "und bestätige die Richtigkeit der Angaben."
)


class RepresentativeSignatureScreen(AusweisSignatureScreen):
    name = "ausweis_representative_signature"
    step = REPRESENTATIVE_SIGNATURE

    def declaration(self) -> str:
        return REPRESENTATIVE_DECLARATION

    def _unsigned(self) -> list[tuple[int, RepresentativeDraft]]:
        reps = self.session.draft.representatives
        return [(i, r) for i, r in enumerate(reps) if not r.empty and not r.signature]

    def exempt(self) -> bool:
        return False

    @property
    def confirmed(self) -> bool:
        return bool(self.session.draft.recorded_representatives()) and not self._unsigned()

    def store_signature(self, files: dict[str, bytes]) -> None:
        unsigned = self._unsigned()
        if not unsigned:
            return
        index, rep = unsigned[0]
        png, strokes = representative_signature_names(index)
        rep.signature = [png, strokes]
        renamed = {
            (png if name == SIGNATURE_PNG else strokes): data for name, data in files.items()
        }
        self.session.save_attachments(renamed)

    def _encoded(self, files: dict[str, bytes]) -> None:
        super()._encoded(files)
        if self._active and self._unsigned():  # the next representative signs
            self.start_pad()

    def redo(self) -> None:
        names: list[str] = []
        for rep in self.session.draft.representatives:
            names += rep.signature
            rep.signature = []
        self.session.save_attachments({name: None for name in names})
        self.start_pad()


SCREEN = RepresentativeSignatureScreen
