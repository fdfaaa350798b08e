<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="de_DE">
<context>
    <name>AnmeldungScreen</name>
    <message>
        <location filename="../screens/anmeldung.py" line="139"/>
        <source>Anmeldung %1</source>
        <translation>Registration %1</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="140"/>
        <source>Anmeldung</source>
        <translation>Registration</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="143"/>
        <source>+ Person hinzufügen</source>
        <translation>+ Add person</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="144"/>
        <source>Person entfernen</source>
        <translation>Remove person</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="145"/>
        <source>Zurück</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="146"/>
        <location filename="../screens/anmeldung.py" line="152"/>
        <source>Neue Wohnung</source>
        <translation>New dwelling</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="152"/>
        <source>Personen, die mit umziehen</source>
        <translation>Persons moving together</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="154"/>
        <source>Schritt %1 von %2: %3</source>
        <translation>Step %1 of %2: %3</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="160"/>
        <source>Weiter</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="160"/>
        <source>Speichern und weiter</source>
        <translation>Save and continue</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="166"/>
        <location filename="../screens/anmeldung.py" line="261"/>
        <source>(noch ohne Namen)</source>
        <translation>(no name yet)</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="172"/>
        <source>Person %1 von %2</source>
        <translation>Person %1 of %2</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="179"/>
        <source>Wird gespeichert …</source>
        <translation>Saving …</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="180"/>
        <source>✔ Gespeichert</source>
        <translation>✔ Saved</translation>
    </message>
    <message>
        <location filename="../screens/anmeldung.py" line="181"/>
        <source>⚠ Nicht gespeichert</source>
        <translation>⚠ Not saved</translation>
    </message>
</context>
<context>
    <name>CaseStates</name>
    <message>
        <location filename="../screens/dashboard.py" line="47"/>
        <source>in Bearbeitung</source>
        <translation>in progress</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="48"/>
        <source>abgeschlossen</source>
        <translation>completed</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="49"/>
        <source>versiegelt</source>
        <translation>sealed</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="50"/>
        <source>übertragen</source>
        <translation>sent</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="51"/>
        <source>bestätigt</source>
        <translation>acknowledged</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="52"/>
        <source>abgebrochen</source>
        <translation>cancelled</translation>
    </message>
</context>
<context>
    <name>CaseTypes</name>
    <message>
        <location filename="../screens/dashboard.py" line="37"/>
        <source>Anmeldung</source>
        <extracomment>case types whose wizard exists (others show a notice)</extracomment>
        <translation>Registration</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="38"/>
        <source>Abmeldung</source>
        <translation>Deregistration</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="39"/>
        <source>Wechsel der Hauptwohnung</source>
        <translation>Change of main residence</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="40"/>
        <source>Personalausweis</source>
        <translation>ID card</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <location filename="../screens/dashboard.py" line="131"/>
        <source>Übersicht</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="138"/>
        <source>Heute ist %1.</source>
        <translation>Today is %1.</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="140"/>
        <source>Neuer Vorgang</source>
        <translation>New case</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="142"/>
        <source>Anmeldung
(Zuzug / Umzug)</source>
        <translation>Registration
(moving in / moving)</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="143"/>
        <source>Abmeldung</source>
        <translation>Deregistration</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="144"/>
        <source>Wechsel der
Hauptwohnung</source>
        <translation>Change of
main residence</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="145"/>
        <source>Personalausweis
beantragen</source>
        <translation>Apply for
an ID card</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="149"/>
        <source>Vorgänge heute und offene Entwürfe</source>
        <translation>Today&apos;s cases and open drafts</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="150"/>
        <source>Ausgewählten Vorgang fortsetzen</source>
        <translation>Continue selected case</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="151"/>
        <source>Noch keine Vorgänge. Beginnen Sie links einen neuen.</source>
        <translation>No cases yet. Start a new one on the left.</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="152"/>
        <source>Postausgang</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="154"/>
        <source>Die Übertragung an die Meldebehörde ist noch nicht eingerichtet.</source>
        <translation>Transmission to the registration office is not set up yet.</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="212"/>
        <source>Dieser Ablauf ist in dieser Version noch nicht verfügbar.</source>
        <translation>This procedure is not available in this version yet.</translation>
    </message>
    <message>
        <location filename="../screens/dashboard.py" line="244"/>
        <source>Dieser Vorgang kann hier nicht mehr bearbeitet werden.</source>
        <translation>This case can no longer be edited here.</translation>
    </message>
</context>
<context>
    <name>DeviceNames</name>
    <message>
        <location filename="../widgets/status_bar.py" line="14"/>
        <source>Fingerabdruck</source>
        <translation>Fingerprint</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="15"/>
        <source>Unterschrift</source>
        <translation>Signature pad</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="16"/>
        <source>Bondrucker</source>
        <translation>Receipt printer</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="17"/>
        <source>A4-Drucker</source>
        <translation>A4 printer</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="18"/>
        <source>Kamera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="25"/>
        <source>bereit</source>
        <translation>ready</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="26"/>
        <source>fehlt</source>
        <translation>missing</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="27"/>
        <source>Fehler</source>
        <translation>error</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="28"/>
        <source>prüfe …</source>
        <translation>checking …</translation>
    </message>
</context>
<context>
    <name>DwellingForm</name>
    <message>
        <location filename="../forms/dwelling_form.py" line="39"/>
        <source>TT.MM.JJJJ</source>
        <translation>DD.MM.YYYY</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="44"/>
        <source>Straße</source>
        <translation>Street</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="45"/>
        <source>Hausnummer</source>
        <translation>House number</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="46"/>
        <source>Zusatz (z. B. Hinterhaus)</source>
        <translation>Addition (e.g. rear building)</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="47"/>
        <source>Stockwerk / Wohnung</source>
        <translation>Floor / flat</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="48"/>
        <source>Postleitzahl</source>
        <translation>Postcode</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="49"/>
        <source>Ort</source>
        <translation>Town</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="50"/>
        <source>Gemeindeteil</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="51"/>
        <source>Einzugsdatum</source>
        <translation>Move-in date</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="56"/>
        <source>Die neue Wohnung ist</source>
        <translation>The new dwelling is</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="59"/>
        <source>alleinige Wohnung</source>
        <translation>sole residence</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="60"/>
        <source>Hauptwohnung</source>
        <translation>Main residence</translation>
    </message>
    <message>
        <location filename="../forms/dwelling_form.py" line="61"/>
        <source>Nebenwohnung</source>
        <translation>Secondary residence</translation>
    </message>
</context>
<context>
    <name>ErrorRouter</name>
    <message>
        <location filename="../error_router.py" line="55"/>
        <source>Ein unerwarteter Fehler ist aufgetreten. Ihre Eingaben sind gespeichert. Bitte versuchen Sie es erneut oder wenden Sie sich an die Technik.</source>
        <translation>An unexpected error occurred. Your entries are saved. Please try again or contact technical support.</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <location filename="../widgets/header.py" line="71"/>
        <source>Angemeldet: %1</source>
        <translation>Signed in: %1</translation>
    </message>
    <message>
        <location filename="../widgets/header.py" line="73"/>
        <source>Nicht angemeldet</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <location filename="../widgets/header.py" line="76"/>
        <source>● Verbunden</source>
        <translation>● Connected</translation>
    </message>
    <message>
        <location filename="../widgets/header.py" line="77"/>
        <source>○ Offline</source>
        <translation>○ Offline</translation>
    </message>
    <message>
        <location filename="../widgets/header.py" line="78"/>
        <source>○ Verbindung unbekannt</source>
        <translation>○ Connection unknown</translation>
    </message>
    <message>
        <location filename="../widgets/header.py" line="83"/>
        <source>Sprache der Oberfläche wechseln</source>
        <translation>Change the interface language</translation>
    </message>
    <message>
        <location filename="../widgets/header.py" line="84"/>
        <source>Kontrast</source>
        <translation>Contrast</translation>
    </message>
    <message>
        <location filename="../widgets/header.py" line="85"/>
        <source>Hoher Kontrast ein/aus</source>
        <translation>High contrast on/off</translation>
    </message>
    <message>
        <location filename="../widgets/header.py" line="86"/>
        <source>Sperren</source>
        <translation>Lock</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../screens/login.py" line="97"/>
        <source>Bürgerservice-Koffer</source>
        <translation>Citizen service kit</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="101"/>
        <source>Bildschirm gesperrt</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="104"/>
        <source>Ihre Eingaben sind gespeichert. Geben Sie Ihre Passphrase ein, um weiterzuarbeiten.</source>
        <translation>Your entries are saved. Enter your passphrase to continue.</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="109"/>
        <source>Willkommen</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="111"/>
        <source>Bitte wählen Sie Ihr Konto und geben Sie Ihre Passphrase ein.</source>
        <translation>Please choose your account and enter your passphrase.</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="113"/>
        <location filename="../screens/login.py" line="116"/>
        <source>Konto</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="114"/>
        <location filename="../screens/login.py" line="115"/>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="122"/>
        <source>Passphrase wird geprüft …</source>
        <translation>Checking passphrase …</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="124"/>
        <source>Entsperren</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="128"/>
        <source>Vorführung: Konto „demo“, Passphrase „demo-passphrase“.</source>
        <translation>Demo: account “demo”, passphrase “demo-passphrase”.</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="132"/>
        <source>Es ist noch kein Konto eingerichtet. Die Technik richtet den Koffer mit dem Befehl „koffer init“ ein.</source>
        <translation>No account has been set up yet. Technical staff set up the kit with the command “koffer init”.</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="186"/>
        <source>Bitte wählen Sie zuerst Ihr Konto.</source>
        <translation>Please choose your account first.</translation>
    </message>
    <message>
        <location filename="../screens/login.py" line="191"/>
        <source>Bitte geben Sie Ihre Passphrase ein.</source>
        <translation>Please enter your passphrase.</translation>
    </message>
    <message numerus="yes">
        <location filename="../screens/login.py" line="238"/>
        <source>Nächster Versuch in %n Sekunde(n).</source>
        <translation>
            <numerusform>Next attempt in %n second.</numerusform>
            <numerusform>Next attempt in %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageBanner</name>
    <message>
        <location filename="../widgets/banner.py" line="32"/>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>PersonForm</name>
    <message>
        <location filename="../forms/person_form.py" line="38"/>
        <source>TT.MM.JJJJ</source>
        <translation>DD.MM.YYYY</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="45"/>
        <source>z. B. deutsch</source>
        <translation>e.g. German</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="50"/>
        <source>Familienname</source>
        <translation>Family name</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="51"/>
        <source>Vornamen</source>
        <translation>Given names</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="52"/>
        <source>Geburtsname (falls abweichend)</source>
        <translation>Birth name (if different)</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="53"/>
        <source>Doktorgrad</source>
        <translation>Doctoral degree</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="54"/>
        <source>Geburtsdatum</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="55"/>
        <source>Geburtsort</source>
        <translation>Place of birth</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="56"/>
        <source>Staatsangehörigkeit(en)</source>
        <translation>Nationality (or nationalities)</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="61"/>
        <source>Geschlecht</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="64"/>
        <source>– bitte wählen –</source>
        <translation>– please choose –</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="65"/>
        <source>weiblich</source>
        <translation>female</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="66"/>
        <source>männlich</source>
        <translation>male</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="67"/>
        <source>divers</source>
        <translation>diverse</translation>
    </message>
    <message>
        <location filename="../forms/person_form.py" line="68"/>
        <source>ohne Angabe</source>
        <translation>not specified</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <location filename="../validation.py" line="52"/>
        <source>Bitte geben Sie das Datum als TT.MM.JJJJ ein, z. B. 07.03.1985.</source>
        <translation>Please enter the date as DD.MM.YYYY, e.g. 07.03.1985.</translation>
    </message>
    <message>
        <location filename="../validation.py" line="56"/>
        <source>Das Datum liegt in der Zukunft. Bitte prüfen Sie es.</source>
        <translation>The date lies in the future. Please check it.</translation>
    </message>
    <message>
        <location filename="../validation.py" line="60"/>
        <source>Bitte prüfen Sie das Jahr.</source>
        <translation>Please check the year.</translation>
    </message>
    <message>
        <location filename="../validation.py" line="70"/>
        <source>Eine deutsche Postleitzahl hat genau fünf Ziffern.</source>
        <translation>A German postcode has exactly five digits.</translation>
    </message>
    <message>
        <location filename="../validation.py" line="89"/>
        <source>Bitte füllen Sie dieses Feld aus.</source>
        <translation>Please fill in this field.</translation>
    </message>
</context>
</TS>
