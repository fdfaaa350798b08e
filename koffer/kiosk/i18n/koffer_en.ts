<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="de_DE">
    <context>
        <name>AbmeldungScreen</name>
        <message>
            <location filename="../screens/abmeldung.py" line="15" />
            <source>Abmeldung</source>
            <translation>Deregistration</translation>
        </message>
        <message>
            <location filename="../screens/abmeldung.py" line="19" />
            <source>Personen, die sich abmelden</source>
            <translation>Persons deregistering</translation>
        </message>
        <message>
            <location filename="../screens/abmeldung.py" line="20" />
            <source>Wohnung, die aufgegeben wird</source>
            <translation>Dwelling given up</translation>
        </message>
    </context>
    <context>
        <name>Accessibility</name>
        <message>
            <location filename="../accessibility.py" line="103" />
            <source>Alle auswählen</source>
            <extracomment>dynamic properties remembering what this module set (so explicit texts win)</extracomment>
            <translation>Select all</translation>
        </message>
        <message>
            <location filename="../accessibility.py" line="105" />
            <source>Inhalt der Seite</source>
            <translation>Page content</translation>
        </message>
        <message>
            <location filename="../accessibility.py" line="127" />
            <source>Seite: %1</source>
            <translation>Page: %1</translation>
        </message>
        <message>
            <location filename="../accessibility.py" line="128" />
            <source>Bürgerservice-Koffer</source>
            <translation>Citizen service kit</translation>
        </message>
        <message>
            <location filename="../accessibility.py" line="161" />
            <source>Handskizze</source>
            <extracomment>names of the drawn widgets the generic rule cannot know (set by class)</extracomment>
            <translation>Hand diagram</translation>
        </message>
        <message>
            <location filename="../accessibility.py" line="162" />
            <source>Zeigt, welche Finger erfasst sind. Tippen Sie auf einen Finger, um ihn zu wählen.</source>
            <translation>Shows which fingers are captured. Tap a finger to choose it.</translation>
        </message>
        <message>
            <location filename="../accessibility.py" line="168" />
            <source>Unterschriftsfeld</source>
            <translation>Signature field</translation>
        </message>
        <message>
            <location filename="../accessibility.py" line="169" />
            <source>Zeigt die Unterschrift, während Sie auf dem Pad schreiben.</source>
            <translation>Shows the signature while you write on the pad.</translation>
        </message>
        <message>
            <location filename="../accessibility.py" line="174" />
            <source>Passbild-Vorschau</source>
            <translation>Passport photo preview</translation>
        </message>
        <message>
            <location filename="../accessibility.py" line="175" />
            <source>Zeigt das Lichtbild im Format 35 × 45 mm.</source>
            <translation>Shows the photo in the 35 × 45 mm format.</translation>
        </message>
    </context>
    <context>
        <name>AddressForm</name>
        <message>
            <location filename="../forms/address_form.py" line="65" />
            <source>Straße</source>
            <translation>Street</translation>
        </message>
        <message>
            <location filename="../forms/address_form.py" line="66" />
            <source>Hausnummer</source>
            <translation>House number</translation>
        </message>
        <message>
            <location filename="../forms/address_form.py" line="67" />
            <source>Zusatz (z. B. Hinterhaus)</source>
            <translation>Addition (e.g. rear building)</translation>
        </message>
        <message>
            <location filename="../forms/address_form.py" line="68" />
            <source>Stockwerk / Wohnung</source>
            <translation>Floor / flat</translation>
        </message>
        <message>
            <location filename="../forms/address_form.py" line="69" />
            <source>Postleitzahl</source>
            <translation>Postcode</translation>
        </message>
        <message>
            <location filename="../forms/address_form.py" line="70" />
            <source>Ort</source>
            <translation>City</translation>
        </message>
        <message>
            <location filename="../forms/address_form.py" line="71" />
            <source>Gemeindeteil</source>
            <translation>District</translation>
        </message>
        <message>
            <location filename="../forms/address_form.py" line="79" />
            <source>alleinige Wohnung</source>
            <translation>sole dwelling</translation>
        </message>
        <message>
            <location filename="../forms/address_form.py" line="80" />
            <source>Hauptwohnung</source>
            <translation>main residence</translation>
        </message>
        <message>
            <location filename="../forms/address_form.py" line="81" />
            <source>Nebenwohnung</source>
            <translation>secondary residence</translation>
        </message>
        <message>
            <location filename="../forms/address_form.py" line="84" />
            <source>Art der Wohnung</source>
            <translation>Kind of dwelling</translation>
        </message>
        <message>
            <source>Die Wohnung ist/war</source>
            <translation>The dwelling is/was</translation>
        </message>
        <message>
            <location filename="../forms/address_form.py" line="60" />
            <source>TT.MM.JJJJ</source>
            <extracomment>status codes a form may offer</extracomment>
            <translation>DD.MM.YYYY</translation>
        </message>
    </context>
    <context>
        <name>AdminScreen</name>
        <message>
            <location filename="../screens/admin.py" line="143" />
            <source>Verwaltung</source>
            <translation>Administration</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="167" />
            <source>Administration</source>
            <translation>Administration</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="146" />
            <source>Konten</source>
            <translation>Accounts</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="148" />
            <source>Konto deaktivieren</source>
            <translation>Disable account</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="149" />
            <source>Sperre aufheben</source>
            <translation>Lift lock</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="150" />
            <source>Neues Konto</source>
            <translation>New account</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="172" />
            <source>Konto anlegen</source>
            <translation>Create account</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="173" />
            <source>Einrichtung bei der Gegenstelle</source>
            <translation>Enrollment with the back end</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="174" />
            <source>Einrichtungscode hier einfügen</source>
            <translation>Paste the enrollment code here</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="175" />
            <source>Koffer einrichten</source>
            <translation>Enroll suitcase</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="176" />
            <source>Zur Übersicht</source>
            <translation>To the overview</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="166" />
            <location filename="../screens/admin.py" line="177" />
            <source>Technik</source>
            <translation>Technician</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="178" />
            <source>Postausgang</source>
            <translation>Outbox</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="147" />
            <location filename="../screens/admin.py" line="154" />
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="147" />
            <location filename="../screens/admin.py" line="155" />
            <source>Rolle</source>
            <translation>Role</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="147" />
            <source>Status</source>
            <translation>State</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="156" />
            <source>Passphrase</source>
            <translation>Passphrase</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="157" />
            <source>Passphrase wiederholen</source>
            <translation>Repeat passphrase</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="165" />
            <source>Sachbearbeitung</source>
            <translation>Clerk</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="214" />
            <source>deaktiviert</source>
            <translation>disabled</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="269" />
            <source>Bitte geben Sie einen Namen ein.</source>
            <translation>Please enter a name.</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="273" />
            <source>Die beiden Passphrasen stimmen nicht überein. Bitte erneut eingeben.</source>
            <translation>The two passphrases do not match. Please enter them again.</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="216" />
            <source>gesperrt (zu viele Fehlversuche)</source>
            <translation>locked (too many failed attempts)</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="218" />
            <source>aktiv</source>
            <translation>active</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="224" />
            <source>✔ Dieser Koffer ist eingerichtet.</source>
            <translation>✔ This suitcase is enrolled.</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="228" />
            <source>Dieser Koffer ist noch nicht eingerichtet. Fügen Sie den Einrichtungscode der Gegenstelle ein.</source>
            <translation>This suitcase is not enrolled yet. Paste the back end's enrollment code.</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="286" />
            <source>Das Konto „%1“ wurde angelegt.</source>
            <translation>The account '%1' was created.</translation>
        </message>
        <message>
            <location filename="../screens/admin.py" line="311" />
            <source>Der Koffer ist als „%1“ eingerichtet.</source>
            <translation>The suitcase is enrolled as '%1'.</translation>
        </message>
    </context>
    <context>
        <name>AnmeldungScreen</name>
        <message>
            <location filename="../screens/anmeldung.py" line="0" />
            <source>Ehe, Lebenspartnerschaft und Kinder</source>
            <translation>Marriage, civil partnership and children</translation>
        </message>
        <message>
            <location filename="../screens/anmeldung.py" line="0" />
            <source>Nur ausfüllen, soweit die Personen es angeben. Ehegatten, Lebenspartner und Eltern wählen Sie aus den Personen dieses Meldescheins.</source>
            <translation>Fill in only as far as the persons state it. Choose spouses, civil partners and parents from the persons of this registration form.</translation>
        </message>
        <message>
            <location filename="../screens/anmeldung.py" line="33" />
            <source>Anmeldung</source>
            <extracomment>steps of the Anmeldung (kept for callers of the first version)</extracomment>
            <translation>Registration</translation>
        </message>
        <message>
            <location filename="../screens/anmeldung.py" line="84" />
            <source>Bei einem Zuzug aus dem Ausland kann die bisherige Anschrift leer bleiben.</source>
            <translation>For a move from abroad the previous address may stay empty.</translation>
        </message>
        <message>
            <location filename="../screens/anmeldung.py" line="87" />
            <source>Art der Anmeldung</source>
            <translation>Kind of registration</translation>
        </message>
        <message>
            <location filename="../screens/anmeldung.py" line="72" />
            <source>Widerspruchsrechte dieser Person</source>
            <translation>This person's right to object</translation>
        </message>
        <message>
            <location filename="../screens/anmeldung.py" line="75" />
            <source>Bitte weisen Sie die Person darauf hin: Sie kann kostenlos widersprechen, dass ihre Daten an eine Religionsgesellschaft übermittelt werden, der sie selbst nicht angehört, ein Familienmitglied aber schon (§ 42 Abs. 3 BMG), und dass die Meldebehörde Parteien vor Wahlen oder bei Alters- und Ehejubiläen Auskunft gibt (§ 50 Abs. 5 BMG). Jeder Widerspruch wird als Übermittlungssperre eingetragen.</source>
            <translation>Please tell the person: they may object, free of charge, to their data being passed to a religious community they do not belong to but a family member does (§ 42 (3) BMG), and to the registration office informing parties before elections or about birthday and wedding jubilees (§ 50 (5) BMG). Each objection is recorded as a transfer block.</translation>
        </message>
        <message>
            <location filename="../screens/anmeldung.py" line="90" />
            <source>Zuzug aus einer anderen Gemeinde</source>
            <translation>Move from another municipality</translation>
        </message>
        <message>
            <location filename="../screens/anmeldung.py" line="91" />
            <source>Umzug innerhalb der Gemeinde</source>
            <translation>Move within the municipality</translation>
        </message>
        <message>
            <location filename="../screens/anmeldung.py" line="92" />
            <source>Zuzug aus dem Ausland</source>
            <translation>Move from abroad</translation>
        </message>
    </context>
    <context>
        <name>AusweisFeeScreen</name>
        <message>
            <location filename="../screens/ausweis_fee.py" line="129" />
            <source>Gebühr</source>
            <extracomment>rule fields that concern Direktversand</extracomment>
            <translation>Fee</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fee.py" line="130" />
            <source>Zustellung des Ausweises</source>
            <translation>Delivery of the card</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fee.py" line="131" />
            <source>Abholung bei der Behörde</source>
            <translation>Pick-up at the authority</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fee.py" line="132" />
            <source>Direktversand nach Hause (15,00 EUR)</source>
            <translation>Direct delivery to the home (EUR 15.00)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fee.py" line="133" />
            <source>Zweites gültiges Ausweisdokument wurde vorgelegt</source>
            <translation>A second valid ID document was shown</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fee.py" line="134" />
            <source>Expressverfahren</source>
            <translation>Express procedure</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fee.py" line="136" />
            <source>Zuschlag: außerhalb der Dienstzeit / nicht zuständige Behörde</source>
            <translation>Surcharge: outside office hours / non-competent authority</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fee.py" line="161" />
            <source>Direktversand ist nicht möglich:</source>
            <translation>Direct delivery is not possible:</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fee.py" line="163" />
            <source>Für den Direktversand fehlt noch:</source>
            <translation>Still missing for direct delivery:</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fee.py" line="168" />
            <source>Direktversand ist möglich (PostIdent, zweites Ausweisdokument nötig).</source>
            <translation>Direct delivery is possible (PostIdent, a second ID document is needed).</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fee.py" line="203" />
            <location filename="../screens/ausweis_fee.py" line="210" />
            <source>Summe</source>
            <translation>Total</translation>
        </message>
    </context>
    <context>
        <name>AusweisFingerprintsScreen</name>
        <message>
            <source>hersteller</source>
            <translation>vendor</translation>
        </message>
        <message>
            <source>Schätzung (nicht zertifiziert)</source>
            <translation>estimate (not certified)</translation>
        </message>
        <message>
            <source>Bitte nehmen Sie den Finger ab.</source>
            <translation>Please lift your finger.</translation>
        </message>
        <message>
            <source>Bitte legen Sie den Finger auf.</source>
            <translation>Please place your finger on the scanner.</translation>
        </message>
        <message>
            <source>Bitte legen Sie den linken kleinen Finger auf (erneut).</source>
            <translation>Please place your left little finger on the scanner (again).</translation>
        </message>
        <message>
            <source>Bitte legen Sie den linken kleinen Finger auf.</source>
            <translation>Please place your left little finger on the scanner.</translation>
        </message>
        <message>
            <source>Bitte legen Sie den linken Ringfinger auf (erneut).</source>
            <translation>Please place your left ring finger on the scanner (again).</translation>
        </message>
        <message>
            <source>Bitte legen Sie den linken Ringfinger auf.</source>
            <translation>Please place your left ring finger on the scanner.</translation>
        </message>
        <message>
            <source>Bitte legen Sie den linken Mittelfinger auf (erneut).</source>
            <translation>Please place your left middle finger on the scanner (again).</translation>
        </message>
        <message>
            <source>Bitte legen Sie den linken Mittelfinger auf.</source>
            <translation>Please place your left middle finger on the scanner.</translation>
        </message>
        <message>
            <source>Bitte legen Sie den linken Zeigefinger auf (erneut).</source>
            <translation>Please place your left index finger on the scanner (again).</translation>
        </message>
        <message>
            <source>Bitte legen Sie den linken Zeigefinger auf.</source>
            <translation>Please place your left index finger on the scanner.</translation>
        </message>
        <message>
            <source>Bitte legen Sie den linken Daumen auf (erneut).</source>
            <translation>Please place your left thumb on the scanner (again).</translation>
        </message>
        <message>
            <source>Bitte legen Sie den linken Daumen auf.</source>
            <translation>Please place your left thumb on the scanner.</translation>
        </message>
        <message>
            <source>Bitte legen Sie den rechten kleinen Finger auf (erneut).</source>
            <translation>Please place your right little finger on the scanner (again).</translation>
        </message>
        <message>
            <source>Bitte legen Sie den rechten kleinen Finger auf.</source>
            <translation>Please place your right little finger on the scanner.</translation>
        </message>
        <message>
            <source>Bitte legen Sie den rechten Ringfinger auf (erneut).</source>
            <translation>Please place your right ring finger on the scanner (again).</translation>
        </message>
        <message>
            <source>Bitte legen Sie den rechten Ringfinger auf.</source>
            <translation>Please place your right ring finger on the scanner.</translation>
        </message>
        <message>
            <source>Bitte legen Sie den rechten Mittelfinger auf (erneut).</source>
            <translation>Please place your right middle finger on the scanner (again).</translation>
        </message>
        <message>
            <source>Bitte legen Sie den rechten Mittelfinger auf.</source>
            <translation>Please place your right middle finger on the scanner.</translation>
        </message>
        <message>
            <source>Bitte legen Sie den rechten Zeigefinger auf (erneut).</source>
            <translation>Please place your right index finger on the scanner (again).</translation>
        </message>
        <message>
            <source>Bitte legen Sie den rechten Zeigefinger auf.</source>
            <translation>Please place your right index finger on the scanner.</translation>
        </message>
        <message>
            <source>Bitte legen Sie den rechten Daumen auf (erneut).</source>
            <translation>Please place your right thumb on the scanner (again).</translation>
        </message>
        <message>
            <source>Bitte legen Sie den rechten Daumen auf.</source>
            <translation>Please place your right thumb on the scanner.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="190" />
            <source>Finger erfassen (3 Aufnahmen)</source>
            <translation>Capture finger (3 captures)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="191" />
            <source>Abbrechen</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="192" />
            <source>Finger nicht möglich → Ersatzfinger</source>
            <translation>Finger not possible → substitute finger</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="193" />
            <location filename="../screens/ausweis_fingerprints.py" line="281" />
            <source>Abnahme dauerhaft nicht möglich</source>
            <translation>Capture permanently impossible</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="196" />
            <source>Blau: jetzt erfassen · gestrichelt: Ersatzfinger (Zeigefinger → Daumen → Mittelfinger → Ringfinger) · grün: erfasst · grau: nicht möglich · kleine Finger werden nie erfasst. Erfasste Finger antippen, um sie neu zu erfassen.</source>
            <translation>Blue: capture now · dashed: substitute fingers (index → thumb → middle → ring) · green: captured · grey: not possible · little fingers are never captured. Tap a captured finger to capture it again.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="202" />
            <source>Qualität 0–100: %1</source>
            <translation>Quality 0–100: %1</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="254" />
            <source>Keine Fingerabdrücke: die Person ist jünger als 6 Jahre.</source>
            <translation>No fingerprints: the person is younger than 6.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="259" />
            <source>Keine Fingerabdrücke: %1.</source>
            <translation>No fingerprints: %1.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="264" />
            <source>✔ Fingerabdrücke vollständig</source>
            <translation>✔ Fingerprints complete</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="267" />
            <source>Jetzt: %1</source>
            <translation>Now: %1</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="279" />
            <source>Befreiung aufheben</source>
            <translation>Withdraw the exemption</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="292" />
            <source>Aufnahme %1: %2 %3</source>
            <translation>Capture %1: %2 %3</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="298" />
            <source>Aufnahme %1: –</source>
            <translation>Capture %1: –</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="307" />
            <source>%1: beste von %2 Aufnahmen, Qualität %3</source>
            <translation>%1: best of %2 captures, quality %3</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="312" />
            <source>(niedrig – Ersatzfinger möglich: Finger antippen)</source>
            <translation>(low – a substitute is possible: tap the finger)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="365" />
            <source>Bitte Finger abheben. Die beste Aufnahme wird gespeichert …</source>
            <translation>Please lift the finger. The best capture is being saved …</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="397" />
            <source>✔ %1 gespeichert (Qualität %2).</source>
            <translation>✔ %1 saved (quality %2).</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="417" />
            <source>Die Erfassung wurde unterbrochen. Bitte prüfen Sie den Scanner und versuchen Sie es erneut.</source>
            <translation>The capture was interrupted. Please check the scanner and try again.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="428" />
            <source>Erfassung abgebrochen.</source>
            <translation>Capture cancelled.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="479" />
            <source>Bitte warten Sie, bis die Erfassung beendet ist.</source>
            <translation>Please wait until the capture has finished.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="484" />
            <source>Es fehlt noch ein Fingerabdruck. Bitte erfassen Sie ihn oder geben Sie den Grund an, warum es nicht geht.</source>
            <translation>A fingerprint is still missing. Please capture it or give the reason why that is not possible.</translation>
        </message>
    </context>
    <context>
        <name>AusweisPassportScreen</name>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Reisepass</source>
            <translation>Passport</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>48 Seiten statt 32 (+22,00 EUR)</source>
            <translation>48 pages instead of 32 (+22.00 EUR)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Expressverfahren (+32,00 EUR)</source>
            <translation>Express procedure (+32.00 EUR)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Vorläufiger Reisepass (26,00 EUR, höchstens 1 Jahr gültig)</source>
            <translation>Provisional passport (26.00 EUR, valid for at most 1 year)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Die antragstellende Person ist persönlich erschienen</source>
            <translation>The applicant appeared in person</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Auf Wunsch außerhalb der Dienstzeit</source>
            <translation>Outside office hours on request</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Bei einer nicht zuständigen Behörde beantragt</source>
            <translation>Applied for at a non-competent authority</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Gebühr erlassen: bedürftige Person (§ 28 PassV)</source>
            <translation>Fee waived: person in need (§ 28 PassV)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Bisheriger Reisepass wurde vorgelegt</source>
            <translation>Previous passport was shown</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Bisheriger Reisepass wurde entwertet</source>
            <translation>Previous passport was invalidated</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Bisheriger Reisepass enthält gültige ausländische Visa</source>
            <translation>Previous passport holds valid foreign visas</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Zweiter gültiger Lichtbildausweis wurde vorgelegt</source>
            <translation>A second valid photo ID was shown</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Die antragstellende Person willigt in den Direktversand ein</source>
            <translation>The applicant consents to direct delivery</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Wer nicht persönlich erscheinen kann, kann nur einen vorläufigen Reisepass beantragen.</source>
            <translation>An applicant who cannot appear in person can only apply for a provisional passport.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Grund für den Gebührenerlass</source>
            <translation>Reason for the fee waiver</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Bisheriger Reisepass</source>
            <translation>Previous passport</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Zustellung des Reisepasses</source>
            <translation>Delivery of the passport</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Abholung bei der Behörde</source>
            <translation>Pick-up at the authority</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Direktversand nach Hause (15,00 EUR)</source>
            <translation>Direct delivery to your home (15.00 EUR)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>E-Mail-Adresse für die Versandmitteilung</source>
            <translation>E-mail address for the delivery notice</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Gebühr</source>
            <translation>Fee</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Antrag prüfen</source>
            <translation>Check application</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Gebührenerlass (§ 28 PassV)</source>
            <translation>Fee waiver (§ 28 PassV)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>Summe</source>
            <translation>Total</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_passport.py" line="1" />
            <source>✔ Der Antrag ist vollständig.</source>
            <translation>✔ The application is complete.</translation>
        </message>
    </context>
    <context>
        <name>AusweisPaymentScreen</name>
        <message>
            <location filename="../screens/ausweis_payment.py" line="184" />
            <source>Zu zahlende Gebühr</source>
            <translation>Fee to pay</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="185" />
            <source>Zahlungsart</source>
            <translation>Payment method</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="187" />
            <source>Bar</source>
            <translation>Cash</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="188" />
            <source>Karte (Kartenterminal)</source>
            <translation>Card (card terminal)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="189" />
            <source>Rechnung (Überweisung)</source>
            <translation>Invoice (bank transfer)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="190" />
            <source>Gebührenbefreiung / Gebühr erlassen</source>
            <translation>Fee exemption / fee waived</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="194" />
            <source>Erhaltener Betrag in EUR</source>
            <translation>Amount received in EUR</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="195" />
            <source>Grund für die Gebührenbefreiung</source>
            <translation>Reason for the fee exemption</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="197" />
            <source>Die Hinweise des Kartenterminals erscheinen hier, für Sie und für die antragstellende Person.</source>
            <translation>The card terminal's messages appear here, for you and for the applicant.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="202" />
            <source>Kartenzahlung abbrechen</source>
            <translation>Cancel card payment</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="203" />
            <source>Weiter zur Prüfung</source>
            <translation>Continue to the review</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="222" />
            <source>Die antragstellende Person überweist die Gebühr. Verwendungszweck ist die Vorgangsnummer: %1</source>
            <translation>The applicant pays the fee by bank transfer. The payment reference is the case number: %1</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="246" />
            <source>Für diesen Antrag ist keine Gebühr zu zahlen.</source>
            <translation>No fee is due for this application.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="248" />
            <source>Der Stand der Zahlung wird geprüft …</source>
            <translation>Checking the state of the payment …</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="254" />
            <source>Noch nicht bezahlt.</source>
            <translation>Not paid yet.</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="36" />
            <source>Bezahlt: bar, %1.</source>
            <translation>Paid: cash, %1.</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="37" />
            <source>Bezahlt: mit Karte, %1.</source>
            <translation>Paid: by card, %1.</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="38" />
            <source>Per Rechnung: %1, Verwendungszweck %2.</source>
            <translation>By invoice: %1, payment reference %2.</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="41" />
            <source>Gebühr erlassen (%1).</source>
            <translation>Fee waived (%1).</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="45" />
            <source>Bezahlt: %1.</source>
            <translation>Paid: %1.</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="48" />
            <source>Die Gebühr kann nicht noch einmal kassiert werden.</source>
            <translation>The fee cannot be taken a second time.</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="52" />
            <source>Achtung: Die Gebühr hat sich nach der Zahlung geändert (jetzt %1). Bitte klären Sie den Unterschied mit der Kasse.</source>
            <translation>Attention: the fee changed after the payment (now %1). Please settle the difference with the cash office.</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="25" />
            <source>Barzahlung buchen</source>
            <translation>Book cash payment</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="26" />
            <source>Kartenzahlung starten</source>
            <translation>Start card payment</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="27" />
            <source>Rechnung erfassen</source>
            <translation>Record invoice</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="28" />
            <source>Befreiung erfassen</source>
            <translation>Record exemption</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="274" />
            <source>Bitte einen Betrag wie 50,00 eingeben.</source>
            <translation>Please enter an amount such as 50.00.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="278" />
            <source>Es fehlen noch %1.</source>
            <translation>%1 still missing.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="282" />
            <source>Rückgeld: %1</source>
            <translation>Change: %1</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="330" />
            <source>Die Zahlung konnte nicht gebucht werden.</source>
            <translation>The payment could not be booked.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="345" />
            <source>Diese Gebühr ist bereits bezahlt. Bitte nicht noch einmal kassieren.</source>
            <translation>This fee is already paid. Please do not take it again.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="360" />
            <source>Der erhaltene Betrag reicht nicht für die Gebühr.</source>
            <translation>The amount received does not cover the fee.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="368" />
            <source>Bitte geben Sie den Grund für die Gebührenbefreiung an.</source>
            <translation>Please give the reason for the fee exemption.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="398" />
            <source>Es ist kein Kartenterminal eingerichtet.</source>
            <translation>No card terminal is set up.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="403" />
            <source>Verbindung zum Kartenterminal …</source>
            <translation>Connecting to the card terminal …</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="404" />
            <source>Kartenzahlung läuft …</source>
            <translation>Card payment in progress …</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="63" />
            <source>Die Kartenzahlung ist erfolgt.</source>
            <translation>The card payment went through.</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="65" />
            <source>Die Kartenzahlung wurde abgebrochen. Es wurde nichts abgebucht. Sie können es noch einmal versuchen oder anders bezahlen.</source>
            <translation>The card payment was cancelled. Nothing was charged. You can try again or pay another way.</translation>
        </message>
        <message>
            <location filename="../screens/payment_texts.py" line="70" />
            <source>Die Karte wurde abgelehnt. Es wurde nichts abgebucht. Bitte versuchen Sie es noch einmal oder wählen Sie eine andere Zahlungsart.</source>
            <translation>The card was declined. Nothing was charged. Please try again or choose another payment method.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="454" />
            <source>Bitte warten Sie, bis die Zahlung beendet ist.</source>
            <translation>Please wait until the payment has finished.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_payment.py" line="457" />
            <source>Bitte erfassen Sie zuerst die Zahlung der Gebühr.</source>
            <translation>Please record the payment of the fee first.</translation>
        </message>
    </context>
    <context>
        <name>AusweisPersonScreen</name>
        <message>
            <location filename="../screens/ausweis_person.py" line="51" />
            <source>Antragstellende Person</source>
            <translation>Applicant</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_person.py" line="52" />
            <source>Anschrift (Hauptwohnung)</source>
            <translation>Address (main residence)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_person.py" line="80" />
            <source>Bitte wählen Sie das Geschlecht aus.</source>
            <translation>Please choose the sex.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_person.py" line="1" />
            <source>Gesetzliche Vertretung</source>
            <translation>Legal representative</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_person.py" line="1" />
            <source>Der andere Elternteil hat zugestimmt (die Zustimmung liegt vor)</source>
            <translation>The other parent has consented (the consent has been shown)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_person.py" line="1" />
            <source>§ 6 PassG</source>
            <translation>§ 6 PassG</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_person.py" line="1" />
            <source>§ 9 PAuswG</source>
            <translation>§ 9 PAuswG</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_person.py" line="1" />
            <source>Für Personen unter %1 Jahren stellen die Sorgeberechtigten den Antrag (%2). Bitte erfassen Sie die Person, die den Antrag stellt, und ihren Ausweis.</source>
            <translation>For persons under %1 the persons with custody apply (%2). Please enter the person who applies and their ID document.</translation>
        </message>
    </context>
    <context>
        <name>AusweisPhotoScreen</name>
        <message>
            <source>Das Bild ist zu dunkel oder zu hell. Bitte Beleuchtung prüfen.</source>
            <translation>The picture is too dark or too bright. Please check the lighting.</translation>
        </message>
        <message>
            <source>Das Gesicht ist zu klein oder zu groß. Bitte Abstand anpassen.</source>
            <translation>The face is too small or too large. Please adjust the distance.</translation>
        </message>
        <message>
            <source>Das Gesicht ist nicht mittig. Bitte rücken Sie zur Mitte.</source>
            <translation>The face is not centred. Please move towards the middle.</translation>
        </message>
        <message>
            <source>Kein Gesicht erkannt. Bitte schauen Sie in die Kamera.</source>
            <translation>No face detected. Please look into the camera.</translation>
        </message>
        <message>
            <source>keine zertifizierte Qualitätsprüfung</source>
            <translation>no certified quality check</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="123" />
            <source>Foto hier aufnehmen (Gebühr 6,00 EUR)</source>
            <translation>Take the photo here (fee EUR 6.00)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="124" />
            <source>Lichtbild-Code des Fotostudios</source>
            <translation>Photo studio's photo code</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="125" />
            <location filename="../screens/ausweis_photo.py" line="233" />
            <source>Foto aufnehmen</source>
            <translation>Take photo</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="126" />
            <source>Neues Foto</source>
            <translation>New photo</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="127" />
            <source>Prüfung des Fotos</source>
            <translation>Photo check</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="129" />
            <source>Hinweis: %1. Bitte sehen Sie sich das Foto selbst an.</source>
            <translation>Note: %1. Please look at the photo yourself.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="133" />
            <source>Lichtbild-Code (DataMatrix)</source>
            <translation>Photo code (DataMatrix)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="170" />
            <source>Live-Vorschau</source>
            <translation>Live preview</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="175" />
            <source>Noch kein Foto aufgenommen.</source>
            <translation>No photo taken yet.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="180" />
            <source>✔ Gesicht erkannt, mittig, Größe und Helligkeit in Ordnung.</source>
            <translation>✔ Face found, centred, size and brightness fine.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="210" />
            <location filename="../screens/ausweis_photo.py" line="240" />
            <source>Erneut versuchen</source>
            <translation>Try again</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="287" />
            <source>Bitte nehmen Sie zuerst das Foto auf.</source>
            <translation>Please take the photo first.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_photo.py" line="291" />
            <source>Bitte scannen Sie den Lichtbild-Code des Fotostudios.</source>
            <translation>Please scan the photo studio's photo code.</translation>
        </message>
    </context>
    <context>
        <name>AusweisPinScreen</name>
        <message>
            <location filename="../screens/ausweis_pin.py" line="62" />
            <source>Der PIN-Brief wird bei der Antragstellung ausgehändigt. Bitte bestätigen Sie die Übergabe und tragen Sie die Nummer des PIN-Briefs ein.</source>
            <translation>The PIN letter is handed out at application. Please confirm the hand-over and enter the PIN letter's number.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_pin.py" line="66" />
            <source>PIN-Brief wurde ausgehändigt</source>
            <translation>PIN letter handed out</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_pin.py" line="67" />
            <source>Nummer des PIN-Briefs</source>
            <translation>PIN letter number</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_pin.py" line="68" />
            <source>Antrag prüfen</source>
            <translation>Check application</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_pin.py" line="99" />
            <source>Bitte tragen Sie die Nummer des PIN-Briefs ein.</source>
            <translation>Please enter the PIN letter's number.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_pin.py" line="118" />
            <source>✔ Der Antrag ist vollständig.</source>
            <translation>✔ The application is complete.</translation>
        </message>
    </context>
    <context>
        <name>AusweisSignatureScreen</name>
        <message>
            <location filename="../screens/ausweis_signature.py" line="117" />
            <source>Auf dem Pad: „%1“</source>
            <translation>On the pad: “%1”</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_signature.py" line="119" />
            <source>Löschen</source>
            <translation>Clear</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_signature.py" line="120" />
            <source>Neu unterschreiben</source>
            <translation>Sign again</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_signature.py" line="121" />
            <source>Unterschrift bestätigen</source>
            <translation>Confirm signature</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_signature.py" line="122" />
            <source>Live-Ansicht des Unterschriften-Pads</source>
            <translation>Live view of the signature pad</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_signature.py" line="147" />
            <source>Keine Unterschrift: die Person ist jünger als 10 Jahre.</source>
            <translation>No signature: the person is younger than 10.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_signature.py" line="150" />
            <source>✔ Unterschrift gespeichert.</source>
            <translation>✔ Signature saved.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_signature.py" line="152" />
            <source>Die Erklärung wird auf dem Pad angezeigt …</source>
            <translation>Showing the declaration on the pad …</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_signature.py" line="155" />
            <source>Bitte unterschreiben Sie auf dem Pad und tippen Sie dort auf „OK“.</source>
            <translation>Please sign on the pad and tap “OK” there.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_signature.py" line="201" />
            <source>Das Unterschriften-Pad antwortet nicht. Bitte prüfen Sie das Kabel und tippen Sie auf „Löschen“, um es erneut zu versuchen.</source>
            <translation>The signature pad does not answer. Please check the cable and tap “Clear” to try again.</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_signature.py" line="299" />
            <source>Bitte lassen Sie die Person unterschreiben und bestätigen Sie die Unterschrift.</source>
            <translation>Please let the person sign and confirm the signature.</translation>
        </message>
    </context>
    <context>
        <name>AusweisStep</name>
        <message>
            <location filename="../screens/ausweis_base.py" line="69" />
            <source>Personalausweis %1</source>
            <extracomment>screen shown after the last step when it is not installed</extracomment>
            <translation>ID card %1</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_base.py" line="70" />
            <source>Personalausweis</source>
            <translation>ID card</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_base.py" line="1" />
            <source>Reisepass %1</source>
            <translation>Passport %1</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_base.py" line="1" />
            <source>Reisepass</source>
            <translation>Passport</translation>
        </message>
    </context>
    <context>
        <name>AusweisSteps</name>
        <message>
            <location filename="../screens/ausweis_base.py" line="41" />
            <source>Bezahlung</source>
            <translation>Payment</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_base.py" line="29" />
            <source>Person und Anschrift</source>
            <translation>Person and address</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_base.py" line="30" />
            <source>Lichtbild</source>
            <translation>Photo</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_base.py" line="31" />
            <source>Fingerabdrücke</source>
            <translation>Fingerprints</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_base.py" line="32" />
            <source>Unterschrift</source>
            <translation>Signature</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_base.py" line="33" />
            <source>Gebühr und Zustellung</source>
            <translation>Fee and delivery</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_base.py" line="34" />
            <source>PIN-Brief</source>
            <translation>PIN letter</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_base.py" line="1" />
            <source>Unterschrift der gesetzlichen Vertretung</source>
            <translation>Signature of the legal representative</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_base.py" line="1" />
            <source>Reisepass: Optionen und Gebühr</source>
            <translation>Passport: options and fee</translation>
        </message>
    </context>
    <context>
        <name>CaseStates</name>
        <message>
            <location filename="../screens/dashboard.py" line="56" />
            <source>in Bearbeitung</source>
            <translation>in progress</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="57" />
            <source>abgeschlossen</source>
            <translation>completed</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="58" />
            <source>versiegelt</source>
            <translation>sealed</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="59" />
            <location filename="../screens/dashboard.py" line="71" />
            <location filename="../screens/dashboard.py" line="72" />
            <source>übertragen</source>
            <translation>sent</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="60" />
            <source>bestätigt</source>
            <translation>acknowledged</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="61" />
            <source>abgebrochen</source>
            <translation>cancelled</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="69" />
            <source>versiegelt, wartet auf Versand</source>
            <translation>sealed, waiting to be sent</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="70" />
            <source>wird gesendet</source>
            <translation>sending</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="73" />
            <source>abgelehnt</source>
            <translation>rejected</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="74" />
            <source>unzustellbar</source>
            <translation>undeliverable</translation>
        </message>
    </context>
    <context>
        <name>CaseTypes</name>
        <message>
            <location filename="../screens/dashboard.py" line="46" />
            <source>Anmeldung</source>
            <extracomment>case types whose wizard exists (others show a notice) completed but not sealed (sealing failed, e.g. not enrolled): reopens on completion</extracomment>
            <translation>Registration</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="47" />
            <source>Abmeldung</source>
            <translation>Deregistration</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="48" />
            <source>Wechsel der Hauptwohnung</source>
            <translation>Change of main residence</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="49" />
            <source>Personalausweis</source>
            <translation>ID card</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="1" />
            <source>Reisepass</source>
            <translation>Passport</translation>
        </message>
    </context>
    <context>
        <name>CheckPage</name>
        <message>
            <location filename="../screens/meldeschein_parts.py" line="93" />
            <source>Den Meldeschein unterschreibt</source>
            <extracomment>the clerk chose a finding; carries the field path it names</extracomment>
            <translation>The registration form is signed by</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein_parts.py" line="116" />
            <source>Es fehlen noch Angaben oder sind fehlerhaft (%1). Tippen Sie auf einen Eintrag, um ihn zu korrigieren.</source>
            <translation>Details are missing or wrong (%1). Tap an entry to correct it.</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein_parts.py" line="123" />
            <source>Alle Pflichtangaben sind vollständig. Bitte beachten Sie die Hinweise; sie verhindern die Meldung nicht.</source>
            <translation>All required details are complete. Please note the hints; they do not prevent the registration.</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein_parts.py" line="128" />
            <source>Alle Angaben sind vollständig. Weiter zur Durchsicht.</source>
            <translation>All details are complete. Continue to the review.</translation>
        </message>
    </context>
    <context>
        <name>CompletionScreen</name>
        <message>
            <location filename="../screens/completion.py" line="198" />
            <source>Antragsquittung %1</source>
            <translation>Application receipt %1</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="197" />
            <source>Meldebestätigung %1</source>
            <translation>Confirmation of registration %1</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="72" />
            <source>Abschluss</source>
            <extracomment>"working", "sealed", "printing", "print_failed", "done", "failed"</extracomment>
            <translation>Completion</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="127" />
            <source>Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.</source>
            <translation>An unexpected error occurred. Please try again.</translation>
        </message>
        <message>
            <source>Vorgang abschließen</source>
            <translation>Complete the case</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="75" />
            <source>Fertig – zur Übersicht</source>
            <translation>Done – to the overview</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="171" />
            <source>Die Angaben werden geprüft und versiegelt …</source>
            <translation>The details are being checked and sealed …</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="172" />
            <source>Vorgang %1 ist versiegelt und liegt im Postausgang.</source>
            <translation>Case %1 is sealed and in the outbox.</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="173" />
            <source>Vorgang %1 ist versiegelt. Das Dokument wird gedruckt …</source>
            <translation>Case %1 is sealed. The document is being printed …</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="175" />
            <source>Vorgang %1 ist sicher versiegelt. Der Druck hat nicht geklappt – es geht nichts verloren; beheben Sie die Ursache und drucken Sie erneut.</source>
            <translation>Case %1 is safely sealed. Printing failed – nothing is lost; fix the cause and print again.</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="179" />
            <source>Fertig: Vorgang %1 ist versiegelt, das Dokument ist gedruckt. Bitte geben Sie es der Bürgerin/dem Bürger mit.</source>
            <translation>Done: case %1 is sealed and the document is printed. Please hand it to the citizen.</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="182" />
            <source>Der Vorgang konnte nicht abgeschlossen werden.</source>
            <translation>The case could not be completed.</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="186" />
            <source>Vorgang abgeschlossen</source>
            <translation>Case completed</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="187" />
            <source>Vorgang versiegelt</source>
            <translation>Case sealed</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="188" />
            <source>Vorgang versiegelt – Druck fehlgeschlagen</source>
            <translation>Case sealed – printing failed</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="189" />
            <source>Vorgang nicht abgeschlossen</source>
            <translation>Case not completed</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="191" />
            <source>Vorgang wird abgeschlossen …</source>
            <translation>Completing the case …</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="209" />
            <source>Erneut drucken</source>
            <translation>Print again</translation>
        </message>
        <message>
            <location filename="../screens/completion.py" line="210" />
            <source>Erneut versuchen</source>
            <translation>Try again</translation>
        </message>
    </context>
    <context>
        <name>DashboardScreen</name>
        <message>
            <location filename="../screens/dashboard.py" line="1" />
            <source>Kassenabschluss</source>
            <translation>Cash-book closing</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="315" />
            <source>abgeschlossen, noch nicht versiegelt</source>
            <translation>completed, not sealed yet</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="286" />
            <source>Die Gegenstelle ist erreichbar; alles ist gesendet.</source>
            <translation>The back end is reachable; everything has been sent.</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="284" />
            <source>Versand unterbrochen: %1</source>
            <translation>Sending interrupted: %1</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="179" />
            <source>Übersicht</source>
            <extracomment>citizen names of readable cases by case id (screen only) outbox state by case number: a sealed case shows what the outbox says the background sender's last report (online, why it stopped)</extracomment>
            <translation>Overview</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="186" />
            <source>Heute ist %1.</source>
            <translation>Today is %1.</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="187" />
            <source>Neuer Vorgang</source>
            <translation>New case</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="189" />
            <source>Anmeldung
(Zuzug / Umzug)</source>
            <translation>Registration
(moving in / moving)</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="190" />
            <source>Abmeldung</source>
            <translation>Deregistration</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="191" />
            <source>Wechsel der
Hauptwohnung</source>
            <translation>Change of
main residence</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="192" />
            <source>Personalausweis
beantragen</source>
            <translation>Apply for
an ID card</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="196" />
            <source>Vorgänge heute und offene Entwürfe</source>
            <translation>Today's cases and open drafts</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="197" />
            <source>Ausgewählten Vorgang fortsetzen</source>
            <translation>Continue selected case</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="198" />
            <source>Noch keine Vorgänge. Beginnen Sie links einen neuen.</source>
            <translation>No cases yet. Start a new one on the left.</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="199" />
            <source>Postausgang</source>
            <translation>Outbox</translation>
        </message>
        <message>
            <source>Die Übertragung an die Meldebehörde ist noch nicht eingerichtet.</source>
            <translation>Transmission to the registration office is not set up yet.</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="337" />
            <source>Dieser Ablauf ist in dieser Version noch nicht verfügbar.</source>
            <translation>This procedure is not available in this version yet.</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="373" />
            <source>Dieser Vorgang kann hier nicht mehr bearbeitet werden.</source>
            <translation>This case can no longer be edited here.</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="200" />
            <source>Postausgang öffnen</source>
            <translation>Open outbox</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="201" />
            <source>Verwaltung</source>
            <translation>Administration</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="265" />
            <source>Der Koffer ist noch nicht bei der Gegenstelle eingerichtet. Abgeschlossene Vorgänge bleiben versiegelt gespeichert.</source>
            <translation>The suitcase is not yet enrolled with the back end. Completed cases stay stored, sealed.</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="273" />
            <source>%1 warten auf den Versand, %2 übertragen.</source>
            <translation>%1 waiting to be sent, %2 transmitted.</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="278" />
            <source>%1 brauchen Ihre Aufmerksamkeit.</source>
            <translation>%1 need your attention.</translation>
        </message>
        <message>
            <location filename="../screens/dashboard.py" line="1" />
            <source>Reisepass
beantragen</source>
            <translation>Apply for
a passport</translation>
        </message>
    </context>
    <context>
        <name>DeviceNames</name>
        <message>
            <location filename="../widgets/status_bar.py" line="22" />
            <source>Fingerabdruckscanner</source>
            <translation>Fingerprint scanner</translation>
        </message>
        <message>
            <location filename="../widgets/status_bar.py" line="23" />
            <source>Unterschriften-Pad</source>
            <translation>Signature pad</translation>
        </message>
        <message>
            <location filename="../widgets/status_bar.py" line="24" />
            <source>Bondrucker</source>
            <translation>Receipt printer</translation>
        </message>
        <message>
            <location filename="../widgets/status_bar.py" line="25" />
            <source>A4-Drucker</source>
            <translation>A4 printer</translation>
        </message>
        <message>
            <location filename="../widgets/status_bar.py" line="26" />
            <source>Kamera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../widgets/status_bar.py" line="27" />
            <source>Kartenterminal</source>
            <translation>Card terminal</translation>
        </message>
        <message>
            <location filename="../widgets/status_bar.py" line="34" />
            <source>bereit</source>
            <translation>ready</translation>
        </message>
        <message>
            <location filename="../widgets/status_bar.py" line="35" />
            <source>fehlt</source>
            <translation>missing</translation>
        </message>
        <message>
            <location filename="../widgets/status_bar.py" line="36" />
            <source>Fehler</source>
            <translation>error</translation>
        </message>
        <message>
            <location filename="../widgets/status_bar.py" line="37" />
            <source>prüfe …</source>
            <translation>checking …</translation>
        </message>
    </context>
    <context>
        <name>DwellingForm</name>
        <message>
            <source>TT.MM.JJJJ</source>
            <translation>DD.MM.YYYY</translation>
        </message>
        <message>
            <source>Straße</source>
            <translation>Street</translation>
        </message>
        <message>
            <source>Hausnummer</source>
            <translation>House number</translation>
        </message>
        <message>
            <source>Zusatz (z. B. Hinterhaus)</source>
            <translation>Addition (e.g. rear building)</translation>
        </message>
        <message>
            <source>Stockwerk / Wohnung</source>
            <translation>Floor / flat</translation>
        </message>
        <message>
            <source>Postleitzahl</source>
            <translation>Postcode</translation>
        </message>
        <message>
            <source>Ort</source>
            <translation>Town</translation>
        </message>
        <message>
            <source>Gemeindeteil</source>
            <translation>District</translation>
        </message>
        <message>
            <location filename="../forms/dwelling_form.py" line="26" />
            <source>Einzugsdatum</source>
            <translation>Move-in date</translation>
        </message>
        <message>
            <location filename="../forms/dwelling_form.py" line="32" />
            <source>Die neue Wohnung ist</source>
            <translation>The new dwelling is</translation>
        </message>
        <message>
            <source>alleinige Wohnung</source>
            <translation>sole residence</translation>
        </message>
        <message>
            <source>Hauptwohnung</source>
            <translation>Main residence</translation>
        </message>
        <message>
            <source>Nebenwohnung</source>
            <translation>Secondary residence</translation>
        </message>
    </context>
    <context>
        <name>ErrorRouter</name>
        <message>
            <location filename="../error_router.py" line="55" />
            <source>Ein unerwarteter Fehler ist aufgetreten. Ihre Eingaben sind gespeichert. Bitte versuchen Sie es erneut oder wenden Sie sich an die Technik.</source>
            <translation>An unexpected error occurred. Your entries are saved. Please try again or contact technical support.</translation>
        </message>
    </context>
    <context>
        <name>Fingers</name>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="51" />
            <source>Finger verletzt</source>
            <extracomment>reasons the clerk can give for one finger</extracomment>
            <translation>Finger injured</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="52" />
            <source>Finger fehlt</source>
            <translation>Finger missing</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="53" />
            <source>Abdruck nicht lesbar (Qualität)</source>
            <translation>Print not readable (quality)</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="56" />
            <source>dauerhaft nicht möglich</source>
            <translation>permanently impossible</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="57" />
            <source>vorübergehend nicht möglich</source>
            <translation>temporarily impossible</translation>
        </message>
        <message>
            <location filename="../screens/ausweis_fingerprints.py" line="60" />
            <source>jünger als 6 Jahre</source>
            <translation>younger than 6</translation>
        </message>
    </context>
    <context>
        <name>HandDiagram</name>
        <message>
            <location filename="../widgets/hand_diagram.py" line="144" />
            <source>linke Hand</source>
            <extracomment>fingers of each hand from the left edge of the drawing (backs of the hands) the drawing, rendered again only when a state or the size changes</extracomment>
            <translation>left hand</translation>
        </message>
        <message>
            <location filename="../widgets/hand_diagram.py" line="145" />
            <source>rechte Hand</source>
            <translation>right hand</translation>
        </message>
    </context>
    <context>
        <name>HauptwohnungScreen</name>
        <message>
            <location filename="../screens/hauptwohnung.py" line="15" />
            <source>Wechsel der Hauptwohnung</source>
            <translation>Change of main residence</translation>
        </message>
        <message>
            <location filename="../screens/hauptwohnung.py" line="19" />
            <source>Personen</source>
            <translation>Persons</translation>
        </message>
        <message>
            <location filename="../screens/hauptwohnung.py" line="20" />
            <source>Neue Hauptwohnung</source>
            <translation>New main residence</translation>
        </message>
        <message>
            <location filename="../screens/hauptwohnung.py" line="30" />
            <source>Datum des Wechsels</source>
            <translation>Date of the change</translation>
        </message>
    </context>
    <context>
        <name>Header</name>
        <message>
            <location filename="../widgets/header.py" line="71" />
            <source>Angemeldet: %1</source>
            <translation>Signed in: %1</translation>
        </message>
        <message>
            <location filename="../widgets/header.py" line="73" />
            <source>Nicht angemeldet</source>
            <translation>Not signed in</translation>
        </message>
        <message>
            <location filename="../widgets/header.py" line="76" />
            <source>● Verbunden</source>
            <translation>● Connected</translation>
        </message>
        <message>
            <location filename="../widgets/header.py" line="77" />
            <source>○ Offline</source>
            <translation>○ Offline</translation>
        </message>
        <message>
            <location filename="../widgets/header.py" line="78" />
            <source>○ Verbindung unbekannt</source>
            <translation>○ Connection unknown</translation>
        </message>
        <message>
            <location filename="../widgets/header.py" line="83" />
            <source>Sprache der Oberfläche wechseln</source>
            <translation>Change the interface language</translation>
        </message>
        <message>
            <location filename="../widgets/header.py" line="84" />
            <source>Kontrast</source>
            <translation>Contrast</translation>
        </message>
        <message>
            <location filename="../widgets/header.py" line="85" />
            <source>Hoher Kontrast ein/aus</source>
            <translation>High contrast on/off</translation>
        </message>
        <message>
            <location filename="../widgets/header.py" line="86" />
            <source>Sperren</source>
            <translation>Lock</translation>
        </message>
    </context>
    <context>
        <name>IdAddressForm</name>
        <message>
            <location filename="../forms/id_address_form.py" line="32" />
            <source>Straße</source>
            <translation>Street</translation>
        </message>
        <message>
            <location filename="../forms/id_address_form.py" line="33" />
            <source>Hausnummer</source>
            <translation>House number</translation>
        </message>
        <message>
            <location filename="../forms/id_address_form.py" line="34" />
            <source>Zusatz</source>
            <translation>Addition</translation>
        </message>
        <message>
            <location filename="../forms/id_address_form.py" line="35" />
            <source>Stockwerk / Wohnung</source>
            <translation>Floor / flat</translation>
        </message>
        <message>
            <location filename="../forms/id_address_form.py" line="36" />
            <source>Postleitzahl</source>
            <translation>Postcode</translation>
        </message>
        <message>
            <location filename="../forms/id_address_form.py" line="37" />
            <source>Ort</source>
            <translation>Town</translation>
        </message>
        <message>
            <location filename="../forms/id_address_form.py" line="42" />
            <source>Die Wohnung ist</source>
            <translation>The dwelling is</translation>
        </message>
        <message>
            <location filename="../forms/id_address_form.py" line="45" />
            <source>alleinige Wohnung</source>
            <translation>sole residence</translation>
        </message>
        <message>
            <location filename="../forms/id_address_form.py" line="46" />
            <source>Hauptwohnung</source>
            <translation>main residence</translation>
        </message>
        <message>
            <location filename="../forms/id_address_form.py" line="47" />
            <source>Nebenwohnung</source>
            <translation>secondary residence</translation>
        </message>
    </context>
    <context>
        <name>IdDocumentForm</name>
        <message>
            <location filename="../forms/id_document_form.py" line="53" />
            <source>Seriennummer</source>
            <translation>Serial number</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="54" />
            <source>Ausstellende Behörde</source>
            <translation>Issuing authority</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="55" />
            <source>Ausgestellt am</source>
            <translation>Issued on</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="56" />
            <source>Gültig bis</source>
            <translation>Valid until</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="61" />
            <source>Ausweisdokument</source>
            <translation>ID document</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="47" />
            <location filename="../forms/id_document_form.py" line="49" />
            <source>TT.MM.JJJJ</source>
            <translation>DD.MM.YYYY</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="64" />
            <source>Personalausweis</source>
            <translation>Identity card</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="65" />
            <source>Reisepass</source>
            <translation>Passport</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="66" />
            <source>Kinderreisepass</source>
            <translation>Children's passport</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="67" />
            <source>vorläufiger Personalausweis</source>
            <translation>provisional identity card</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="68" />
            <source>Passersatzpapier</source>
            <translation>Passport substitute</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="69" />
            <source>sonstiges Dokument</source>
            <translation>other document</translation>
        </message>
    </context>
    <context>
        <name>KioskController</name>
        <message>
            <location filename="../controller.py" line="290" />
            <source>Offene Kartenzahlungen konnten nicht mit dem Kartenterminal geklärt werden. Bitte kassieren Sie diese Gebühren nicht noch einmal, bevor das Kartenterminal wieder erreichbar ist.</source>
            <translation>Open card payments could not be settled with the card terminal. Please do not take these fees again before the card terminal can be reached.</translation>
        </message>
        <message>
            <location filename="../controller.py" line="313" />
            <source>%1 abgeschlossene Vorgänge konnten nicht versiegelt werden. Sie bleiben gespeichert; bitte wenden Sie sich an die Technik.</source>
            <extracomment>what a screen is entered with (and what it hands back for the history) the lane on which every store operation runs, in order where each role lands after login screens a role may NOT open (everything else is allowed) the session began (account name) or ended ("") show a screen: name, params (the window's navigator listens) go back one screen a message for the person (German or English text) the locked store is open and its accounts are known the current screen's title changed a case was sealed into the outbox (case id) the outbox changed (after a send or an export) screen to return to after the lock screen (name, params) run the outbox worker after login (benchmarks turn it off) the session's outbox worker; its reports arrive as ``sender.reported``</extracomment>
            <translation>%1 completed cases could not be sealed. They stay stored; please contact technical support.</translation>
        </message>
        <message>
            <location filename="../controller.py" line="376" />
            <source>Dieser Bereich ist für Ihr Konto nicht freigegeben.</source>
            <translation>Your account may not open this area.</translation>
        </message>
    </context>
    <context>
        <name>LandlordForm</name>
        <message>
            <location filename="../forms/landlord_form.py" line="32" />
            <source>Name des Wohnungsgebers</source>
            <translation>Landlord's name</translation>
        </message>
        <message>
            <location filename="../forms/landlord_form.py" line="33" />
            <source>Name des Eigentümers (falls abweichend)</source>
            <translation>Owner's name (if different)</translation>
        </message>
        <message>
            <location filename="../forms/landlord_form.py" line="34" />
            <source>Anschrift des Wohnungsgebers</source>
            <translation>Landlord's address</translation>
        </message>
        <message>
            <location filename="../forms/landlord_form.py" line="35" />
            <source>oder: Zuordnungsmerkmal der elektronischen Bestätigung</source>
            <translation>or: assignment code of the electronic confirmation</translation>
        </message>
        <message>
            <location filename="../forms/landlord_form.py" line="41" />
            <source>Einzugsdatum, Anschrift der Wohnung und alle Namen stimmen überein</source>
            <translation>Move-in date, address of the dwelling and all names match</translation>
        </message>
        <message>
            <location filename="../forms/landlord_form.py" line="45" />
            <source>– noch nicht geprüft –</source>
            <translation>– not checked yet –</translation>
        </message>
        <message>
            <location filename="../forms/landlord_form.py" line="46" />
            <source>Ja, die Bestätigung nennt sie genau so</source>
            <translation>Yes, the confirmation states them exactly so</translation>
        </message>
        <message>
            <location filename="../forms/landlord_form.py" line="47" />
            <source>Nein, sie weichen ab</source>
            <translation>No, they differ</translation>
        </message>
    </context>
    <context>
        <name>LoginScreen</name>
        <message>
            <location filename="../screens/login.py" line="97" />
            <source>Bürgerservice-Koffer</source>
            <translation>Citizen service kit</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="101" />
            <source>Bildschirm gesperrt</source>
            <translation>Screen locked</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="104" />
            <source>Ihre Eingaben sind gespeichert. Geben Sie Ihre Passphrase ein, um weiterzuarbeiten.</source>
            <translation>Your entries are saved. Enter your passphrase to continue.</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="109" />
            <source>Willkommen</source>
            <translation>Welcome</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="111" />
            <source>Bitte wählen Sie Ihr Konto und geben Sie Ihre Passphrase ein.</source>
            <translation>Please choose your account and enter your passphrase.</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="113" />
            <location filename="../screens/login.py" line="116" />
            <source>Konto</source>
            <translation>Account</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="114" />
            <location filename="../screens/login.py" line="115" />
            <source>Passphrase</source>
            <translation>Passphrase</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="122" />
            <source>Passphrase wird geprüft …</source>
            <translation>Checking passphrase …</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="124" />
            <source>Entsperren</source>
            <translation>Unlock</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="128" />
            <source>Vorführung: Konto „demo“, Passphrase „demo-passphrase“.</source>
            <translation>Demo: account “demo”, passphrase “demo-passphrase”.</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="132" />
            <source>Es ist noch kein Konto eingerichtet. Die Technik richtet den Koffer mit dem Befehl „koffer init“ ein.</source>
            <translation>No account has been set up yet. Technical staff set up the kit with the command “koffer init”.</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="186" />
            <source>Bitte wählen Sie zuerst Ihr Konto.</source>
            <translation>Please choose your account first.</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="191" />
            <source>Bitte geben Sie Ihre Passphrase ein.</source>
            <translation>Please enter your passphrase.</translation>
        </message>
        <message>
            <location filename="../screens/login.py" line="238" />
            <source>Nächster Versuch in einer Sekunde.</source>
            <translation>Next attempt in one second.</translation>
        </message>
        <message numerus="yes">
            <location filename="../screens/login.py" line="238" />
            <source>Nächster Versuch in %n Sekunden.</source>
            <translation>
                <numerusform>Next attempt in %n second.</numerusform>
                <numerusform>Next attempt in %n seconds.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../window.py" line="131" />
            <source>Bürgerservice-Koffer</source>
            <translation>Citizen service kit</translation>
        </message>
        <message>
            <location filename="../window.py" line="185" />
            <source>Kopfzeile</source>
            <translation>Header</translation>
        </message>
        <message>
            <location filename="../window.py" line="188" />
            <source>Gerätestatus</source>
            <translation>Device status</translation>
        </message>
    </context>
    <context>
        <name>MeldescheinWizard</name>
        <message>
            <location filename="../screens/meldeschein.py" line="111" />
            <source>Auszugsdatum</source>
            <extracomment>the date asked for on the previous-dwelling page ("" = none)</extracomment>
            <translation>Move-out date</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein.py" line="165" />
            <source>Personen, die mit umziehen</source>
            <translation>Persons moving together</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein.py" line="166" />
            <source>Neue Wohnung</source>
            <translation>New dwelling</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein.py" line="167" />
            <source>Bisherige Wohnung</source>
            <translation>Previous dwelling</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein.py" line="168" />
            <source>Weitere Wohnungen</source>
            <translation>Other dwellings</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein.py" line="169" />
            <source>Wohnungsgeberbestätigung</source>
            <translation>Landlord's confirmation</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein.py" line="170" />
            <source>Prüfung</source>
            <translation>Check</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein.py" line="182" />
            <source>Die Bestätigung des Wohnungsgebers nennt: Name und Anschrift des Wohnungsgebers, das Einzugsdatum, die Anschrift der Wohnung und die Namen der Personen. Liegt eine elektronische Bestätigung vor, genügt das Zuordnungsmerkmal.</source>
            <translation>The landlord's confirmation states: the landlord's name and address, the move-in date, the address of the dwelling and the names of the persons. For an electronic confirmation, the assignment code is enough.</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein.py" line="199" />
            <source>Zur Durchsicht mit der Bürgerin/dem Bürger</source>
            <translation>To the review with the citizen</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein.py" line="210" />
            <source>Person %1 (noch ohne Namen)</source>
            <translation>Person %1 (no name yet)</translation>
        </message>
    </context>
    <context>
        <name>MessageBanner</name>
        <message>
            <location filename="../widgets/banner.py" line="32" />
            <source>Schließen</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>HouseholdForm</name>
        <message>
            <location filename="../forms/household_form.py" line="0" />
            <source>TT.MM.JJJJ</source>
            <translation>DD.MM.YYYY</translation>
        </message>
        <message>
            <location filename="../forms/household_form.py" line="0" />
            <source>Datum der Eheschließung / Lebenspartnerschaft</source>
            <translation>Date of marriage / civil partnership</translation>
        </message>
        <message>
            <location filename="../forms/household_form.py" line="0" />
            <source>Ort der Eheschließung / Lebenspartnerschaft</source>
            <translation>Place of marriage / civil partnership</translation>
        </message>
        <message>
            <location filename="../forms/household_form.py" line="0" />
            <source>Verheiratet / verpartnert mit</source>
            <translation>Married to / civil partner of</translation>
        </message>
        <message>
            <location filename="../forms/household_form.py" line="0" />
            <source>– keine Angabe –</source>
            <translation>– not stated –</translation>
        </message>
        <message>
            <location filename="../forms/household_form.py" line="0" />
            <source>Kind von</source>
            <translation>Child of</translation>
        </message>
        <message>
            <location filename="../forms/household_form.py" line="0" />
            <source>Kind von (zweiter Elternteil)</source>
            <translation>Child of (second parent)</translation>
        </message>
    </context>
    <context>
        <name>ObjectionsForm</name>
        <message>
            <location filename="../forms/objections_form.py" line="39" />
            <source>Widerspruch</source>
            <translation>Objection</translation>
        </message>
        <message>
            <location filename="../forms/objections_form.py" line="38" />
            <source>kein Widerspruch</source>
            <translation>no objection</translation>
        </message>
    </context>
    <context>
        <name>OthersPage</name>
        <message>
            <location filename="../screens/meldeschein_lists.py" line="232" />
            <source>Bitte tragen Sie alle weiteren Wohnungen ein. Genau eine Wohnung ist die Hauptwohnung (die vorwiegend benutzte), alle anderen sind Nebenwohnungen.</source>
            <translation>Please enter all other dwellings. Exactly one dwelling is the main residence (the one used most); all others are secondary residences.</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein_lists.py" line="236" />
            <source>+ Wohnung hinzufügen</source>
            <translation>+ Add dwelling</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein_lists.py" line="237" />
            <source>Wohnung entfernen</source>
            <translation>Remove dwelling</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein_lists.py" line="244" />
            <source>(neue Wohnung)</source>
            <translation>(new dwelling)</translation>
        </message>
    </context>
    <context>
        <name>OutboxScreen</name>
        <message>
            <location filename="../screens/outbox.py" line="107" />
            <source>Postausgang</source>
            <extracomment>the background sender's last report (None without a worker) asks for the export folder (tests replace it)</extracomment>
            <translation>Outbox</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="119" />
            <source>Jetzt senden</source>
            <translation>Send now</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="120" />
            <source>Auf Datenträger exportieren …</source>
            <translation>Export to removable media …</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="121" />
            <source>Zurück</source>
            <translation>Back</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="203" />
            <source>Zielordner auf dem Datenträger wählen</source>
            <translation>Choose the target folder on the removable media</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="248" />
            <source>Dieser Koffer ist noch nicht bei der Gegenstelle eingerichtet. Versiegelte Vorgänge bleiben sicher gespeichert; die Einrichtung erfolgt im Bereich Verwaltung.</source>
            <translation>This suitcase is not yet enrolled with the back end. Sealed cases stay safely stored; enrollment is done in the administration area.</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="112" />
            <source>Vorgang</source>
            <translation>Case</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="113" />
            <source>Art</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="114" />
            <source>Status</source>
            <translation>State</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="115" />
            <source>Versuche</source>
            <translation>Attempts</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="116" />
            <source>Letzte Meldung</source>
            <translation>Last message</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="245" />
            <source>keine Angabe</source>
            <translation>none</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="253" />
            <source>Wird gesendet …</source>
            <translation>Sending …</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="255" />
            <source>Der Postausgang ist leer.</source>
            <translation>The outbox is empty.</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="273" />
            <source>Beim letzten Versand übertragen: %1.</source>
            <translation>Transmitted in the last send: %1.</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="220" />
            <source>%1 versiegelte Umschläge wurden exportiert.</source>
            <translation>%1 sealed envelopes were exported.</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="260" />
            <source>Alle Vorgänge sind übertragen.</source>
            <translation>All cases have been transmitted.</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="258" />
            <source>%1 Vorgänge warten auf den Versand.</source>
            <translation>%1 cases are waiting to be sent.</translation>
        </message>
        <message>
            <source>Zuletzt gesendet: %1.</source>
            <translation>Last sent: %1.</translation>
        </message>
    </context>
    <context>
        <name>OutboxStates</name>
        <message>
            <location filename="../screens/outbox.py" line="41" />
            <source>wartet auf Versand</source>
            <translation>waiting to be sent</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="42" />
            <source>wird gesendet</source>
            <translation>sending</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="43" />
            <source>bestätigt</source>
            <translation>acknowledged</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="44" />
            <source>übertragen, Quittung liegt vor</source>
            <translation>transmitted, receipt received</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="45" />
            <source>abgelehnt</source>
            <translation>rejected</translation>
        </message>
        <message>
            <location filename="../screens/outbox.py" line="46" />
            <source>unzustellbar</source>
            <translation>undeliverable</translation>
        </message>
    </context>
    <context>
        <name>PersonForm</name>
        <message>
            <location filename="../forms/person_form.py" line="38" />
            <source>TT.MM.JJJJ</source>
            <translation>DD.MM.YYYY</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="45" />
            <source>z. B. deutsch</source>
            <translation>e.g. German</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="50" />
            <source>Familienname</source>
            <translation>Family name</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="51" />
            <source>Vornamen</source>
            <translation>Given names</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="52" />
            <source>Geburtsname (falls abweichend)</source>
            <translation>Birth name (if different)</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="53" />
            <source>Doktorgrad</source>
            <translation>Doctoral degree</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="54" />
            <source>Geburtsdatum</source>
            <translation>Date of birth</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="55" />
            <source>Geburtsort</source>
            <translation>Place of birth</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="56" />
            <source>Staatsangehörigkeit(en)</source>
            <translation>Nationality (or nationalities)</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="61" />
            <source>Geschlecht</source>
            <translation>Sex</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="64" />
            <source>– bitte wählen –</source>
            <translation>– please choose –</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="65" />
            <source>weiblich</source>
            <translation>female</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="66" />
            <source>männlich</source>
            <translation>male</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="67" />
            <source>divers</source>
            <translation>diverse</translation>
        </message>
        <message>
            <location filename="../forms/person_form.py" line="68" />
            <source>ohne Angabe</source>
            <translation>not specified</translation>
        </message>
    </context>
    <context>
        <name>PersonsPage</name>
        <message>
            <location filename="../screens/meldeschein_lists.py" line="120" />
            <source>+ Person hinzufügen</source>
            <extracomment>every form that edits the selected person's own fields</extracomment>
            <translation>+ Add person</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein_lists.py" line="121" />
            <source>Person entfernen</source>
            <translation>Remove person</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein_lists.py" line="122" />
            <source>Ausweisdokument dieser Person</source>
            <translation>This person's ID document</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein_lists.py" line="126" />
            <source>(noch ohne Namen)</source>
            <translation>(no name yet)</translation>
        </message>
        <message>
            <location filename="../screens/meldeschein_lists.py" line="134" />
            <source>Person %1 von %2</source>
            <translation>Person %1 of %2</translation>
        </message>
    </context>
    <context>
        <name>RepresentativeForm</name>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Familienname</source>
            <translation>Family name</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Vornamen</source>
            <translation>Given names</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Geburtsdatum</source>
            <translation>Date of birth</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Seriennummer des Ausweises</source>
            <translation>Serial number of the ID document</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Verhältnis zur antragstellenden Person</source>
            <translation>Relationship to the applicant</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>– bitte wählen –</source>
            <translation>– please choose –</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Mutter</source>
            <translation>Mother</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Vater</source>
            <translation>Father</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Vormund</source>
            <translation>Guardian</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Betreuer/in</source>
            <translation>Legal carer</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Pfleger/in</source>
            <translation>Curator</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>andere sorgeberechtigte Person</source>
            <translation>other person with custody</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Elterliche Sorge</source>
            <translation>Parental custody</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>gemeinsam</source>
            <translation>joint</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>allein</source>
            <translation>sole</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Vorgelegter Ausweis</source>
            <translation>ID document shown</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Personalausweis</source>
            <translation>ID card</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>Reisepass</source>
            <translation>Passport</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>anderes Dokument</source>
            <translation>other document</translation>
        </message>
        <message>
            <location filename="../forms/representative_form.py" line="1" />
            <source>TT.MM.JJJJ</source>
            <translation>DD.MM.YYYY</translation>
        </message>
    </context>
    <context>
        <name>ReviewScreen</name>
        <message>
            <location filename="../screens/review.py" line="107" />
            <source>Bitte lesen Sie alle Angaben in Ruhe durch. Stimmt alles, bestätigen Sie unten. Stimmt etwas nicht, sagen Sie es bitte der Sachbearbeitung.</source>
            <translation>Please read all details carefully. If everything is correct, confirm below. If something is wrong, please tell the clerk.</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="111" />
            <source>Zurück zur Erfassung</source>
            <translation>Back to data entry</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="112" />
            <source>Ja, alle Angaben sind richtig</source>
            <translation>Yes, all details are correct</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="102" />
            <source>Durchsicht %1</source>
            <extracomment>the wizard screen of each case type the thumbnails currently shown, in order (empty for registrations) the citizen has seen the end of the review (scrolled to the bottom, or everything fits): only then can they confirm</extracomment>
            <translation>Review %1</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="113" />
            <source>Weiter lesen ▼</source>
            <translation>Read on ▼</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="115" />
            <source>Bitte lesen Sie bis zum Ende. Danach können Sie unten rechts bestätigen.</source>
            <translation>Please read to the end. Then you can confirm at the bottom right.</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="162" />
            <source>Lichtbild</source>
            <translation>Photo</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="164" />
            <source>Unterschrift</source>
            <translation>Signature</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="167" />
            <source>Fingerabdruck</source>
            <translation>Fingerprint</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="169" />
            <source>Fingerabdruck
%1</source>
            <translation>Fingerprint
%1</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="173" />
            <source>Das Lichtbild kommt vom Fotostudio (über den Code).</source>
            <translation>The photo comes from the photo studio (by its code).</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="175" />
            <source>Kein Bild gespeichert. Bitte sagen Sie es der Sachbearbeitung.</source>
            <translation>No image stored. Please tell the clerk.</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="177" />
            <source>Das Bild ist beschädigt und kann nicht angezeigt werden. Bitte sagen Sie es der Sachbearbeitung.</source>
            <translation>The image is damaged and cannot be shown. Please tell the clerk.</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="188" />
            <source>Aufgenommene Bilder</source>
            <translation>Captured images</translation>
        </message>
        <message>
            <location filename="../screens/review.py" line="1" />
            <source>Unterschrift der gesetzlichen Vertretung</source>
            <translation>Signature of the legal representative</translation>
        </message>
    </context>
    <context>
        <name>TechnicianScreen</name>
        <message>
            <location filename="../screens/technician.py" line="157" />
            <source>Technik</source>
            <translation>Technician</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="160" />
            <source>Selbsttest der Geräte</source>
            <translation>Device self-test</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="161" />
            <source>Geräte-Einstellungen</source>
            <translation>Device settings</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="162" />
            <source>Protokoll (ohne personenbezogene Daten)</source>
            <translation>Log (without personal data)</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="163" />
            <source>Selbsttest starten</source>
            <translation>Start self-test</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="164" />
            <source>Postausgang</source>
            <translation>Outbox</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="165" />
            <source>Protokoll aktualisieren</source>
            <translation>Refresh log</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="254" />
            <source>Der Selbsttest läuft …</source>
            <translation>The self-test is running …</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="169" />
            <source>Gerät</source>
            <translation>Device</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="166" />
            <source>Zur Übersicht</source>
            <translation>To the overview</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="170" />
            <source>Ergebnis</source>
            <translation>Result</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="171" />
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="172" />
            <source>Modell</source>
            <translation>Model</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="173" />
            <source>Dauer</source>
            <translation>Duration</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="198" />
            <source>erforderlich</source>
            <translation>required</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="198" />
            <source>optional</source>
            <translation>optional</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="202" />
            <source>Keine Geräte eingerichtet.</source>
            <translation>No devices configured.</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="248" />
            <source>✔ in Ordnung</source>
            <translation>✔ OK</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="248" />
            <source>✖ Fehler</source>
            <translation>✖ Error</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="256" />
            <source>Noch kein Selbsttest in dieser Sitzung.</source>
            <translation>No self-test in this session yet.</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="260" />
            <source>Alle erforderlichen Geräte sind einsatzbereit.</source>
            <translation>All required devices are ready.</translation>
        </message>
        <message>
            <location filename="../screens/technician.py" line="262" />
            <source>%1 erforderliche Geräte haben Fehler.</source>
            <translation>%1 required devices have errors.</translation>
        </message>
    </context>
    <context>
        <name>Validation</name>
        <message>
            <source>Bitte geben Sie das Datum als TT.MM.JJJJ ein, z. B. 07.03.1985.</source>
            <translation>Please enter the date as DD.MM.YYYY, e.g. 07.03.1985.</translation>
        </message>
        <message>
            <location filename="../validation.py" line="38" />
            <source>Bitte geben Sie das Datum als TT.MM.JJJJ ein, z. B. 07.03.1985 oder 07031985.</source>
            <translation>Please enter the date as DD.MM.YYYY, e.g. 07.03.1985 or 07031985.</translation>
        </message>
        <message>
            <location filename="../validation.py" line="43" />
            <source>Das Datum liegt in der Zukunft. Bitte prüfen Sie es.</source>
            <translation>The date lies in the future. Please check it.</translation>
        </message>
        <message>
            <location filename="../validation.py" line="47" />
            <source>Bitte prüfen Sie das Jahr.</source>
            <translation>Please check the year.</translation>
        </message>
        <message>
            <location filename="../validation.py" line="57" />
            <source>Eine deutsche Postleitzahl hat genau fünf Ziffern.</source>
            <translation>A German postcode has exactly five digits.</translation>
        </message>
        <message>
            <location filename="../validation.py" line="76" />
            <source>Bitte füllen Sie dieses Feld aus.</source>
            <translation>Please fill in this field.</translation>
        </message>
        <message>
            <location filename="../forms/id_document_form.py" line="20" />
            <source>Die Seriennummer besteht aus 4 bis 20 Großbuchstaben und Ziffern.</source>
            <translation>The serial number consists of 4 to 20 capital letters and digits.</translation>
        </message>
    </context>
    <context>
        <name>WizardFrame</name>
        <message>
            <location filename="../screens/wizard_frame.py" line="63" />
            <source>Schritt %1 von %2: %3</source>
            <extracomment>the page area: the wizard adds its pages (or its scrolling body) here the step's own actions (capture, confirm …): below the pages, above Zurück / Weiter, so they are always in view</extracomment>
            <translation>Step %1 of %2: %3</translation>
        </message>
        <message>
            <location filename="../screens/wizard_frame.py" line="72" />
            <source>Wird gespeichert …</source>
            <translation>Saving …</translation>
        </message>
        <message>
            <location filename="../screens/wizard_frame.py" line="73" />
            <source>✔ Gespeichert</source>
            <translation>✔ Saved</translation>
        </message>
        <message>
            <location filename="../screens/wizard_frame.py" line="74" />
            <source>⚠ Nicht gespeichert</source>
            <translation>⚠ Not saved</translation>
        </message>
        <message>
            <location filename="../screens/wizard_frame.py" line="80" />
            <source>Zurück</source>
            <translation>Back</translation>
        </message>
        <message>
            <location filename="../screens/wizard_frame.py" line="81" />
            <source>Weiter</source>
            <translation>Next</translation>
        </message>
    </context>
    <context>
        <name>KassenabschlussScreen</name>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Kassenabschluss</source>
            <translation>Cash-book closing</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.</source>
            <translation>An unexpected error occurred. Please try again.</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Seit dem letzten Kassenabschluss</source>
            <translation>Since the last cash-book closing</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Bargeld (erwartet)</source>
            <translation>Cash (expected)</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Karte</source>
            <translation>Card</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Rechnung</source>
            <translation>Invoice</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Erlassen</source>
            <translation>Waived</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Einträge</source>
            <translation>Entries</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Gezähltes Bargeld in Euro (zum Beispiel 46,50)</source>
            <translation>Counted cash in euros (for example 46.50)</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Kassenabschluss buchen</source>
            <translation>Record cash-book closing</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Zurück zur Übersicht</source>
            <translation>Back to the overview</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Das Kassenbuch ist unverändert (Hash-Kette in Ordnung).</source>
            <translation>The cash book is unchanged (hash chain intact).</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Das Kassenbuch wurde verändert (Eintrag %1). Der Kassenabschluss ist trotzdem möglich: die Gegenstelle bekommt ihn mit diesem Befund.</source>
            <translation>The cash book was altered (entry %1). The closing is still possible: the back end receives it with this finding.</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Der Kassenabschluss wird gebucht …</source>
            <translation>Recording the cash-book closing …</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Es fehlen %1.</source>
            <translation>%1 short.</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>%1 zu viel.</source>
            <translation>%1 over.</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Das gezählte Bargeld stimmt.</source>
            <translation>The counted cash matches.</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Tagesabschluss am Kartenterminal erfolgt: %1.</source>
            <translation>Card terminal end-of-day done: %1.</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Der Tagesabschluss am Kartenterminal ist fehlgeschlagen.</source>
            <translation>The card terminal's end-of-day failed.</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Der Kassenabschluss wird gedruckt …</source>
            <translation>Printing the cash-book closing …</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Der Kassenabschluss ist gedruckt.</source>
            <translation>The cash-book closing has been printed.</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Drucken fehlgeschlagen: %1</source>
            <translation>Printing failed: %1</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Der Koffer ist noch nicht eingerichtet: der Abschluss wird versiegelt, sobald er eingerichtet ist.</source>
            <translation>The suitcase is not enrolled yet: the closing will be sealed once it is enrolled.</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>Der Abschluss liegt versiegelt im Postausgang.</source>
            <translation>The closing is sealed in the outbox.</translation>
        </message>
        <message>
            <location filename="../screens/kassenabschluss.py" line="1" />
            <source>„%1“ ist kein Betrag. Bitte das gezählte Bargeld in Euro eingeben, zum Beispiel 46,50.</source>
            <translation>“%1” is not an amount. Please enter the counted cash in euros, for example 46.50.</translation>
        </message>
    </context>
</TS>
