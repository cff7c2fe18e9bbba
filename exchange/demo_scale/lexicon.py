"""The trades of the generated network, one per category of migration 0002: the skills its
listings are tagged with, who one asks for, what one does (verbs, conjugated by `inflect`) and
on what (objects, "determiner|head noun|rest", so that `inflect` can make them plural).

Words are plain French as members write them; `texts` combines them into pads.
"""

from __future__ import annotations

from typing import NamedTuple


class Trade(NamedTuple):
    skills: tuple[str, ...]
    roles: tuple[str, ...]
    verbs: tuple[str, ...]  # regular infinitives (-er, or -ir of the second group)
    objects: tuple[tuple[str, str, str], ...]


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace("\n", " ").split(";") if part.strip())


def _objects(text: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(tuple(part.split("|")) for part in _list(text))  # type: ignore[misc]


def _trade(skills: str, roles: str, verbs: str, objects: str) -> Trade:
    return Trade(_list(skills), _list(roles), _list(verbs), _objects(objects))


TRADES = {
    "comptabilite-gestion": _trade(
        "comptabilité; fiscalité des indépendants; TVA; gestion de trésorerie; tableurs; "
        "facturation; budget prévisionnel; paie; gestion administrative; micro-entreprise; bilan",
        "comptable; trésorière; experte-comptable; gestionnaire; personne à l'aise avec les chiffres",
        "déclarer; calculer; vérifier; ranger; classer; remplir; préparer; clôturer; contrôler; "
        "chiffrer; facturer; rembourser; équilibrer; anticiper; simplifier; relancer; archiver; "
        "analyser; pointer; rapprocher; organiser; numériser; estimer; justifier; établir",
        "une|déclaration|de TVA; le|bilan|de fin d'année; un|tableur|de trésorerie; "
        "les|factures|du trimestre; une|note|de frais; le|livre|des recettes; un|budget|prévisionnel; "
        "les|cotisations|URSSAF; un|plan|de financement; la|clôture|de l'exercice; "
        "un|devis|pour un client; les|relances|d'impayés; un|compte|de résultat; "
        "la|caisse|de l'association; un|rapprochement|bancaire; les|justificatifs|de dépenses; "
        "une|demande|d'ACRE; le|prévisionnel|de la coopérative; les|acomptes|d'impôt; "
        "un|tableau|de bord financier; les|bulletins|de paie; la|comptabilité|analytique",
    ),
    "juridique": _trade(
        "droit des associations; rédaction de statuts; droit du travail; gouvernance partagée; "
        "propriété intellectuelle; contrats; RGPD; médiation; droit d'auteur; SCIC",
        "juriste; avocate; personne qui connaît le droit; médiatrice; ancienne présidente d'association",
        "rédiger; relire; modifier; négocier; sécuriser; déposer; protéger; comparer; signer; "
        "résilier; contester; accompagner; clarifier; présenter; expliquer; déchiffrer; adapter; "
        "formaliser; conseiller; trancher",
        "les|statuts|de l'association; un|contrat|d'édition; le|règlement|intérieur; "
        "une|convention|de partenariat; les|conditions|générales de vente; un|bail|commercial; "
        "une|marque|auprès de l'INPI; le|procès-verbal|d'assemblée générale; "
        "une|rupture|conventionnelle; un|contrat|de travail; les|mentions|légales du site; "
        "un|registre|des traitements RGPD; une|licence|libre; une|clause|de confidentialité; "
        "le|pacte|d'associés; une|fiche|de poste; un|litige|avec un client; les|droits|d'autrice",
    ),
    "numerique": _trade(
        "développement web; Python; JavaScript; WordPress; accessibilité numérique; Linux; "
        "hébergement web; SEO; analyse de données; informatique; réparation d'ordinateurs; "
        "logiciels libres; bases de données; sécurité informatique",
        "développeuse; développeur web; administrateur système; personne à l'aise avec l'informatique; "
        "intégratrice; technicien informatique",
        "installer; configurer; sauvegarder; migrer; coder; déployer; tester; corriger; "
        "automatiser; optimiser; héberger; sécuriser; réparer; nettoyer; documenter; intégrer; "
        "maquetter; développer; mettre; paramétrer; restaurer; débloquer; accélérer; importer; "
        "exporter; chiffrer; synchroniser",
        "un|site|WordPress; le|réseau|wifi du lieu; une|sauvegarde|automatique; "
        "un|ordinateur|qui rame; une|boutique|en ligne; un|formulaire|de contact; "
        "une|base|de données; un|script|Python; le|serveur|de l'association; "
        "une|adresse|e-mail professionnelle; un|tableur|partagé; une|imprimante|réseau; "
        "un|nom|de domaine; un|agenda|partagé; les|mots|de passe de l'équipe; "
        "une|application|mobile; un|tableau|de bord; une|carte|interactive; "
        "une|newsletter|automatique; un|vieux|portable sous Linux; une|page|d'accueil accessible; "
        "un|certificat|HTTPS; un|export|des adhérents",
    ),
    "design": _trade(
        "graphisme; identité visuelle; illustration; mise en page; UX design; webdesign; "
        "sérigraphie; typographie; bande dessinée; signalétique; motion design",
        "graphiste; illustratrice; designer; maquettiste; personne qui dessine bien",
        "dessiner; créer; illustrer; retoucher; imprimer; maquetter; colorer; vectoriser; "
        "décliner; composer; harmoniser; moderniser; esquisser; affiner; animer; cadrer; "
        "simplifier; redessiner",
        "un|logo|pour l'association; une|affiche|de concert; une|carte|de visite; "
        "un|flyer|recto verso; une|charte|graphique; les|pictogrammes|du lieu; "
        "un|portfolio|en ligne; une|plaquette|de présentation; un|livret|de recettes; "
        "une|maquette|de site; la|signalétique|du coworking; un|kakémono|pour les salons; "
        "une|couverture|de livre; les|visuels|pour les réseaux sociaux; un|tampon|encreur; "
        "une|fresque|murale; un|faire-part|de naissance; un|calendrier|illustré",
    ),
    "communication": _trade(
        "communication; rédaction; rédaction web; relations presse; réseaux sociaux; "
        "marketing numérique; relecture; dossiers de subvention; storytelling; newsletter",
        "rédactrice; chargée de communication; plume; correctrice; community manager",
        "écrire; relire; corriger; reformuler; publier; planifier; raconter; présenter; "
        "valoriser; diffuser; résumer; structurer; titrer; annoncer; promouvoir; animer; "
        "programmer; illustrer; alléger; inviter",
        "un|communiqué|de presse; la|page|« À propos »; un|dossier|de subvention; "
        "une|newsletter|mensuelle; les|publications|Instagram; un|article|de blog; "
        "un|rapport|d'activité; une|lettre|de motivation; un|appel|à bénévoles; "
        "le|programme|du festival; une|présentation|orale; un|discours|d'inauguration; "
        "les|fiches|pratiques; une|candidature|à un appel à projets; un|édito|pour le journal; "
        "la|biographie|d'une artiste; un|courrier|aux adhérents; une|campagne|de financement "
        "participatif",
    ),
    "langues": _trade(
        "traduction anglais-français; traduction italien-français; traduction polonais-français; "
        "traduction portugais-français; interprétariat; cours de langue; anglais; espagnol; "
        "allemand; arabe; langue des signes; conversation",
        "traductrice; interprète; personne bilingue; professeure de langue; locuteur natif",
        "traduire; relire; corriger; pratiquer; réviser; prononcer; enseigner; adapter; "
        "sous-titrer; transcrire; préparer; répéter; améliorer; accompagner; vérifier; doubler",
        "un|site|en anglais; une|présentation|en espagnol; un|CV|en allemand; "
        "les|sous-titres|d'un documentaire; un|courrier|administratif; un|dossier|européen; "
        "une|conversation|hebdomadaire; un|entretien|d'embauche en anglais; "
        "le|menu|du restaurant; une|notice|technique; un|rendez-vous|à la préfecture; "
        "un|conte|pour enfants; les|paroles|d'une chanson; un|rapport|d'ONG",
    ),
    "formation": _trade(
        "facilitation; gestion de projet; animation d'ateliers; formation; coaching; "
        "prise de parole en public; communication non violente; gouvernance partagée; "
        "éducation populaire; intelligence collective",
        "facilitatrice; formatrice; coach; animatrice; personne qui sait animer un groupe",
        "animer; faciliter; préparer; organiser; former; accompagner; structurer; planifier; "
        "débriefer; co-animer; évaluer; concevoir; mobiliser; apaiser; répartir; prioriser; "
        "décider; inventer; expérimenter",
        "une|réunion|d'équipe; un|atelier|de lancement; une|assemblée|générale; "
        "une|rétrospective|de projet; un|séminaire|de rentrée; un|forum|ouvert; "
        "une|décision|par consentement; un|cercle|de parole; un|parcours|de formation; "
        "une|feuille|de route; un|planning|de bénévoles; une|médiation|entre associés; "
        "un|jeu|coopératif; une|conférence|gesticulée; une|journée|d'intégration",
    ),
    "image-son": _trade(
        "photographie; montage vidéo; prise de son; podcast; retouche photo; montage audio; "
        "sous-titrage; captation; éclairage; radio",
        "photographe; vidéaste; ingénieur du son; monteuse; personne équipée d'un bon micro",
        "filmer; photographier; monter; enregistrer; mixer; éclairer; cadrer; retoucher; "
        "numériser; sonoriser; diffuser; étalonner; exporter; compresser; scénariser",
        "un|portrait|professionnel; une|vidéo|de présentation; un|podcast|associatif; "
        "le|concert|de fin d'année; une|interview|filmée; les|photos|du marché; "
        "un|clip|pour un groupe; une|émission|de radio; un|teaser|de festival; "
        "un|tutoriel|vidéo; les|archives|familiales; un|diaporama|souvenir; "
        "une|visite|virtuelle du lieu",
    ),
    "bricolage": _trade(
        "menuiserie; réparation vélo; électricité; couture; réparation électroménager; "
        "soudure; impression 3D; découpe laser; plomberie; upcycling; tricot; éco-construction",
        "bricoleur; menuisière; électricien; couturière; mécano vélo; personne débrouillarde",
        "réparer; poncer; visser; souder; coudre; repriser; monter; démonter; fixer; percer; "
        "raccorder; régler; changer; isoler; peindre; vernir; restaurer; fabriquer; ajuster; "
        "remplacer; graisser; tailler; assembler; décaper; imprimer",
        "une|chaise|bancale; un|vélo|cargo; une|machine|à coudre; un|grille-pain|en panne; "
        "une|étagère|sur mesure; un|ourlet|de pantalon; une|lampe|de chevet; "
        "un|robinet|qui fuit; une|remorque|de vélo; un|meuble|de récupération; "
        "une|prise|électrique; un|dérailleur|qui grince; une|porte|qui frotte; "
        "un|aspirateur|fatigué; une|veste|trouée; un|composteur|en palettes; "
        "une|cabane|pour le jardin; un|prototype|imprimé en 3D",
    ),
    "jardin-alimentation": _trade(
        "jardinage; permaculture; apiculture; cuisine; conserves et lacto-fermentation; "
        "compostage; maraîchage; pain au levain; cuisine végétarienne; plantes médicinales",
        "jardinière; cuisinier; maraîcher; apicultrice; personne qui a la main verte",
        "planter; semer; récolter; tailler; pailler; arroser; composter; cuisiner; préparer; "
        "conserver; fermenter; greffer; désherber; cultiver; goûter; mijoter; éplucher; "
        "transformer; partager",
        "un|potager|en carrés; les|tomates|du jardin; un|repas|partagé; une|ruche|au fond du terrain; "
        "un|atelier|conserves; le|compost|du lieu; une|haie|fruitière; les|semis|de printemps; "
        "un|buffet|pour cinquante personnes; un|levain|maison; une|soupe|de légumes; "
        "les|confitures|de l'été; un|verger|abandonné; une|cantine|solidaire",
    ),
    "soin": _trade(
        "massage; yoga; sophrologie; écoute; premiers secours; cuisine santé; méditation; "
        "gestion du stress; accompagnement; aide à domicile",
        "sophrologue; professeure de yoga; personne à l'écoute; masseur; infirmière",
        "écouter; masser; respirer; relâcher; soulager; accompagner; apaiser; étirer; "
        "rassurer; ressourcer; détendre; marcher; méditer; soigner",
        "une|séance|de yoga; un|massage|des épaules; un|moment|d'écoute; "
        "une|formation|aux premiers secours; une|balade|en forêt; une|pause|méditation; "
        "un|atelier|de respiration; une|visite|à une voisine âgée; un|cercle|de femmes",
    ),
    "logistique": _trade(
        "logistique; déménagement; covoiturage; livraison à vélo; organisation d'événements; "
        "transport; stockage; inventaire; permis poids lourd",
        "chauffeur; logisticienne; personne avec une camionnette; organisateur",
        "transporter; livrer; charger; déménager; stocker; porter; emballer; trier; "
        "organiser; coordonner; répartir; inventorier; ranger; récupérer; acheminer",
        "un|déménagement|de studio; une|livraison|de paniers; le|matériel|du festival; "
        "un|canapé|trop lourd; les|cartons|de l'association; un|trajet|vers la gare; "
        "une|collecte|de vêtements; le|stock|de la buvette; une|tournée|de distribution",
    ),
    "coup-de-main": _trade(
        "coup de main; garde d'enfants; aide aux devoirs; courses; démarches administratives; "
        "accueil; écoute; bénévolat",
        "voisine; personne disponible; bénévole; étudiant; retraitée",
        "aider; garder; accompagner; porter; remplir; accueillir; arroser; nourrir; "
        "promener; dépanner; prêter; remplacer; chercher; expliquer",
        "un|chat|pendant les vacances; les|plantes|du bureau; un|dossier|CAF; "
        "les|devoirs|de mon fils; un|rendez-vous|médical; les|courses|de la semaine; "
        "un|colis|à récupérer; un|formulaire|de la préfecture; l'|accueil|du samedi; "
        "une|permanence|au coworking",
    ),
}

# What every trade also does: words of asking, offering and meeting.
COMMON_VERBS = _list(
    "aider; apprendre; montrer; partager; échanger; discuter; regarder; essayer; commencer; "
    "continuer; terminer; proposer; chercher; trouver; passer; donner; prêter; travailler; "
    "rencontrer; remercier; retrouver; améliorer; avancer; gagner; sauver; penser; souhaiter; "
    "aimer; adorer; tester; découvrir; choisir; réussir; grandir; agir; bâtir; réfléchir"
)
