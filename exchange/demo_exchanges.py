"""The demo network's exchanges and time credits: four months of history, and exchanges
waiting in every state, so that `/echanges`, `/compte` and `/caisse-commune` are worth a look.

History (everything settled or closed before the last days) is decided first, in date order,
with the balances kept aside so that no movement passes a credit limit as it stood then; it
is then written directly: the exchanges and their steps, and every movement through
`transfers.transfer(at=…)` in date order, so that the running balances follow the dates (and the
ledger checks the limits once more). The exchanges still open (proposed, accepted, done,
disputed) reach their state through the real services, then get their dates: their
notifications exist, their emails go nowhere.

Everything follows from the data below and the `random.Random` handed in: two seeds of empty
databases write the same exchanges and the same movements, dated from the moment of the seed.
The admin joins Les Ateliers du Rhône as a member, to exchange like everybody else.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from exchange.services.exchanges import disputes, lifecycle
from exchange.services.ledger import rules as network_rules
from exchange.services.ledger import transfers
from exchange.services.moderation import audit
from exchange.services.notify import outbox
from exchange.text import slugify
from models import (
    Account,
    Exchange,
    ExchangeEvent,
    Listing,
    Membership,
    NetworkSettings,
    Notification,
    Space,
    Transfer,
    User,
    db,
)
from models.exchanges import OPEN_STATES

HISTORY_DAYS = 125  # the first movements, some four months ago
SETTLED_BEFORE = timedelta(days=3)  # exchanges from listings are settled by then
ADMIN_SPACE = "rhone"  # the admin lives in Lyon and works from Les Ateliers du Rhône

# ---------------------------------------------------------------------------- the words

# When to meet, in a proposal.
SLOTS = [
    "mardi après-midi",
    "jeudi matin",
    "lundi après le Care'n Share",
    "mercredi vers 14 h",
    "vendredi midi",
    "en fin de semaine",
    "la semaine prochaine, plutôt le matin",
    "jeudi en fin de journée",
]

# A proposal on an offer, by the member who would receive: {why} says what they need.
OFFER_PROPOSALS = [
    "Bonjour {first}, ton annonce tombe à pic : {why}. {Slot}, ça t'irait ?",
    "Salut {first} ! {Why}, et ton annonce m'a décidé·e à demander. Tu serais libre {slot} ?",
    "Bonjour {first}, on m'a parlé de toi au Care'n Share. {Why} : est-ce qu'on peut se voir "
    "{slot} ?",
    "Bonjour {first}, je serais ravi·e d'en profiter : {why}. Je suis disponible {slot}, sinon "
    "dis-moi ce qui t'arrange.",
    "Bonjour {first}, ta proposition tient toujours ? {Why}. {Slot} me conviendrait bien.",
]

# A proposal on a request, by the member who would give: {why} says why they can.
REQUEST_PROPOSALS = [
    "Bonjour {first}, je peux t'aider : {why}. {Slot}, ça te va ?",
    "Salut {first} ! Si personne ne s'est encore proposé, je veux bien m'y mettre : {why}. "
    "Je suis libre {slot}.",
    "Bonjour {first}, ton annonce m'a fait signe : {why}. On en parle autour d'un café {slot} ?",
    "Bonjour {first}, je me propose volontiers. {Why}. Dis-moi si {slot} te convient.",
]

ACCEPTS = [
    "Avec plaisir !",
    "Ça marche, à bientôt.",
    "Parfait, je note dans mon agenda.",
    "Oui, ça me va très bien.",
    "Volontiers ! Je t'envoie l'adresse par message.",
    "Super, on fait comme ça.",
    "",
    "",
]

# What the one who logs the time adds, by how it went against the time foreseen.
NOTES_LONGER = [
    "On a fini un peu plus tard que prévu, mais tout est bouclé.",
    "Un peu plus long que prévu : il y avait plus à faire qu'on ne pensait.",
    "",
]
NOTES_SHORTER = [
    "Plus court que prévu : c'était plus simple qu'on ne le pensait.",
    "On a été efficaces !",
    "",
]
NOTES_AS_FORESEEN = [
    "Merci pour l'accueil !",
    "Séance efficace, on a fait le tour.",
    "Un plaisir, à refaire quand tu veux.",
    "Je t'envoie mes notes ce soir.",
    "",
    "",
    "",
]

# Offers that others answered over the months: title -> what the one who asks needs.
OFFER_NEEDS: dict[str, tuple[str, ...]] = {
    "Première déclaration de TVA : on la remplit ensemble": (
        "je viens de dépasser le seuil de la franchise et la première déclaration me terrorise",
        "je suis passé·e au réel et je n'ai jamais rempli une déclaration seul·e",
    ),
    "Comptabilité de micro-entreprise : un tableur de suivi qui tient la route": (
        "mon livre des recettes tient sur des post-it",
        "je voudrais savoir ce que je dois à l'URSSAF avant qu'elle me le dise",
    ),
    "Audit d'accessibilité express de votre site": (
        "une adhérente malvoyante nous a dit que notre formulaire était impossible à remplir",
        "on refait notre site et je voudrais partir sur de bonnes bases",
    ),
    "Remettre d'aplomb le wifi et le partage de fichiers de la ferme": (
        "le wifi de la grange coupe dès qu'on est plus de trois",
        "on perd sans arrêt les fichiers partagés de la salle de formation",
    ),
    "Réparation de vélos dans la cour, le vendredi midi": (
        "mon dérailleur saute à chaque montée",
        "mes freins couinent et je n'ai jamais osé y toucher",
    ),
    "Traduction anglais-français de vos textes courts": (
        "je dois traduire la présentation de notre projet pour un partenaire",
        "j'ai trois pages d'un rapport en anglais à rendre en français",
    ),
    "Relecture de vos textes avant publication": (
        "mon dossier part bientôt et je ne vois plus mes fautes",
        "j'ai écrit la page de présentation de mon activité et j'aimerais un regard neuf",
    ),
    "Portraits pro dans le studio mobile du coworking": (
        "ma photo de profil date d'il y a dix ans",
        "j'ai besoin d'un portrait pour mon site",
    ),
    "Faciliter la réunion de votre collectif qui coince": (
        "notre collectif tourne en rond depuis trois réunions",
        "on doit choisir entre deux projets et personne n'ose trancher",
    ),
    "Google n'est pas magique : une heure pour comprendre votre référencement": (
        "mon site n'apparaît nulle part quand je tape mon propre métier",
        "je voudrais comprendre avant de payer qui que ce soit",
    ),
    "Initiation à la menuiserie à l'atelier bois": (
        "je rêve de fabriquer ma propre étagère",
        "j'ai récupéré des planches et je ne sais pas par où commencer",
    ),
    "Chaises bancales et tiroirs qui coincent : réparation de meubles au Repair Café": (
        "deux chaises de ma grand-mère boitent",
        "le tiroir de mon bureau ne ferme plus",
    ),
    "Ourlets, fermetures éclair et reprises à l'atelier couture": (
        "ma veste préférée a perdu sa fermeture éclair",
        "j'ai une pile d'ourlets qui attend depuis l'été",
    ),
    "Tester votre service avec de vrais usagers, sans budget": (
        "nous lançons un formulaire d'inscription que personne n'a encore testé",
        "je veux savoir si mon site est compréhensible par d'autres que moi",
    ),
    "Préparer l'assemblée générale de votre association": (
        "notre AG approche et l'ordre du jour est encore vide",
        "c'est ma première AG en tant que président·e",
    ),
    "Rédiger ou toiletter les statuts de votre association ou de votre SCIC": (
        "nos statuts datent de 1998 et ne ressemblent plus à ce qu'on fait",
        "on réfléchit à passer en SCIC et je ne sais pas par où commencer",
    ),
    "Relations presse : trouver l'angle qui fait venir une journaliste": (
        "on organise un festival et aucun média n'a répondu",
        "je prépare un communiqué pour notre lancement",
    ),
    "Votre site associatif en une après-midi": (
        "notre association n'a pas encore de site",
        "notre page actuelle est un vieux blog que personne ne met à jour",
    ),
    "Illustrer votre support pédagogique ou votre affiche": (
        "il nous faut une affiche pour la fête de quartier",
        "mon livret d'atelier manque cruellement d'images",
    ),
    "Camion, bénévoles et buvette : je vous aide à organiser votre fête": (
        "on organise la fête de notre association et on manque de bras",
        "il nous faut un camion pour transporter les tables",
    ),
    "Grille-pain, aspirateur, lampe : on répare ensemble votre petit électroménager": (
        "mon aspirateur s'arrête au bout de deux minutes",
        "ma lampe de bureau clignote depuis des semaines",
    ),
    "Comprendre son tableau électrique avant de bricoler": (
        "je voudrais changer un luminaire sans faire sauter tout l'immeuble",
        "je viens d'emménager et mon tableau électrique est un mystère",
    ),
    "Bâtir le budget prévisionnel de votre projet culturel": (
        "je dépose un dossier de subvention et le budget est la partie qui me fait peur",
        "notre projet de résidence a besoin d'un budget crédible",
    ),
    "Sous-titrer vos vidéos pour les rendre accessibles": (
        "nous avons trois vidéos de présentation sans sous-titres",
        "une adhérente sourde nous a demandé des sous-titres, à juste titre",
    ),
    "Redonner vie à un vieil ordinateur avec Linux": (
        "mon vieux portable met dix minutes à démarrer",
        "j'ai un ordinateur qui dort dans un placard",
    ),
    "Équiper la salle de formation avec des ordinateurs de récup": (
        "on accueille bientôt une formation et il manque des postes",
        "la salle de formation n'a qu'un ordinateur pour dix personnes",
    ),
    "Conversation en polonais, ou traduction polonais-français": (
        "je pars voir une partie de ma famille à Cracovie",
        "j'ai reçu un courrier en polonais que je ne comprends pas",
    ),
    "Du croquis au prototype : impression 3D et découpe laser au fablab": (
        "j'ai dessiné une pièce pour mon vélo et je voudrais l'imprimer",
        "je voudrais découper des pochoirs au laser",
    ),
    "Cercle de parole entre indépendant·es": (
        "je me sens un peu seul·e dans mon activité ces temps-ci",
        "j'ai besoin de parler de mon rythme de travail avec d'autres",
    ),
    "Une première séance pour traverser une tension dans votre équipe": (
        "deux personnes de notre équipe ne se parlent plus",
        "une décision mal passée a laissé des traces dans notre collectif",
    ),
    "Comprendre votre bilan en deux heures": (
        "mon comptable m'a envoyé mon bilan et je n'y comprends rien",
        "je voudrais savoir si mon activité se porte bien, chiffres à l'appui",
    ),
    "Prendre en main votre site WordPress, sans m'appeler à chaque fois": (
        "je dépends de mon neveu pour chaque modification de mon site",
        "je voudrais publier mes actualités moi-même",
    ),
    "Photos culinaires pour votre carte ou votre boutique en ligne": (
        "notre cantine change de carte et les photos datent",
        "je lance une petite boutique de conserves en ligne",
    ),
    "Prise de parole en public : un atelier pour oser": (
        "je présente bientôt mon projet devant des financeurs",
        "je perds mes moyens dès que je parle devant plus de cinq personnes",
    ),
    "Initiation à la sérigraphie dans mon atelier de la Belle de Mai": (
        "je voudrais imprimer des tote-bags pour notre association",
        "j'ai toujours voulu essayer",
    ),
    "Accompagner une famille lusophone dans ses démarches": (
        "une famille brésilienne de mon quartier doit passer à la CAF",
        "j'accompagne une famille angolaise qui a rendez-vous à la préfecture",
    ),
    "Première embauche : ce qu'il faut savoir avant de signer": (
        "je vais embaucher ma première salariée à mi-temps",
        "je me demande si je peux me permettre un apprenti",
    ),
    "Atelier lacto-fermentation : les légumes du jardin en bocaux": (
        "j'ai des kilos de chou à sauver",
        "je voudrais apprendre à faire ma propre choucroute",
    ),
    "Conseils pour isoler en paille ou construire une petite cabane": (
        "je rénove une petite grange et j'hésite sur l'isolation",
        "je voudrais construire une cabane au fond du jardin",
    ),
    "Lancer la lettre d'information de votre lieu": (
        "notre tiers-lieu n'envoie aucune nouvelle à ses adhérents",
        "on voudrait une lettre mensuelle sans y passer des heures",
    ),
    "Un site vitrine clair pour votre atelier ou votre ferme": (
        "mon atelier n'existe pas sur internet",
        "mon site est si compliqué que même moi je m'y perds",
    ),
    "Nettoyer le fichier Excel qui a beaucoup vécu": (
        "notre fichier d'adhérents a cinq colonnes « téléphone »",
        "mon tableau de suivi a été rempli par dix personnes différentes",
    ),
    "Repriser une chaussette (et autres réparations textiles)": (
        "j'ai un tiroir entier de chaussettes trouées",
        "mon pull préféré a un trou au coude",
    ),
    "Atelier d'autoréparation vélo du jeudi soir": (
        "ma roue arrière est voilée",
        "je voudrais apprendre à régler mes freins moi-même",
    ),
    "Écrire enfin votre page « À propos »": (
        "ma page « À propos » est vide depuis deux ans",
        "je n'arrive pas à parler de moi sans me trouver prétentieux·se",
    ),
    "Structurer votre projet coopératif : qui fait quoi, pour quand": (
        "notre projet d'épicerie coopérative part dans tous les sens",
        "nous sommes six à porter le projet et personne ne sait qui fait quoi",
    ),
}

# Requests others answered: title -> (the skills a helper needs, none: anyone; why they can).
REQUEST_HELPERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Je cherche une graphiste pour rendre mes fiches pratiques lisibles": (
        ("graphisme", "mise en page"),
        ("j'ai mis en forme plusieurs fiches de ce genre pour des associations",
         "j'adore rendre lisibles les sujets arides"),
    ),
    "Je cherche de l'aide pour monter le site de notre coopérative de coursiers": (
        ("développement web", "webdesign", "WordPress"),
        ("j'ai monté plusieurs sites d'associations",
         "je peux vous proposer une base simple que vous mettrez à jour vous-mêmes"),
    ),
    "Je cherche une plume pour m'aider à écrire mes légendes photo": (
        ("rédaction", "rédaction web", "relecture"),
        ("j'écris des textes courts toute la journée",
         "j'adore chercher le mot juste sous une image"),
    ),
    "Je cherche quelqu'un qui dessine pour une facilitation graphique": (
        ("illustration", "bande dessinée"),
        ("je dessine souvent en direct pendant des réunions",
         "j'ai déjà fait des fresques de ce genre pour des séminaires"),
    ),
    "Je cherche un camion pour récupérer un stock de tissus à Rezé": (
        ("logistique",),
        ("j'ai un utilitaire et je passe souvent par Rezé",),
    ),
    "Je cherche un·e développeur·se pour démonter mes maquettes": (
        ("développement web", "JavaScript"),
        ("je code des interfaces toute la journée",
         "j'aime beaucoup discuter de ce qui est faisable avec les designers"),
    ),
    "Je cherche un·e photographe pour la générale d'une compagnie de théâtre": (
        ("photographie",),
        ("je photographie souvent des spectacles, sans flash bien sûr",),
    ),
    "Je cherche des mains pour cuisiner le grand repas du Repair Café": (
        (),
        ("je ne suis pas chef, mais j'épluche vite et bien",
         "j'ai l'habitude des grandes tablées"),
    ),
    "Je cherche de l'aide pour mettre de l'ordre dans ma facturation": (
        ("comptabilité", "gestion de trésorerie", "tableurs"),
        ("je fais ça pour plusieurs indépendant·es",
         "j'ai un modèle de suivi des factures tout prêt"),
    ),
    "Je cherche un coup de main pour refaire mon site de traductrice": (
        ("développement web", "WordPress", "webdesign"),
        ("je fais des sites simples et rapides",
         "un site multilingue, c'est exactement le genre de projet que j'aime"),
    ),
    "Je cherche des volontaires pour ranger le stock de composants du fablab": (
        (),
        ("j'ai un samedi de libre et j'adore trier",),
    ),
    "Je cherche quelqu'un pour rendre ma page pro plus vivante": (
        ("communication", "réseaux sociaux", "rédaction web"),
        ("j'anime les réseaux de plusieurs structures",),
    ),
    "Je cherche un regard juridique sur mes mentions légales et mes CGV": (
        ("droit des associations", "droit du travail"),
        ("je relis régulièrement des documents de ce genre",),
    ),
    "Je cherche un·e graphiste pour repenser mon portfolio": (
        ("graphisme", "mise en page", "webdesign"),
        ("j'ai repensé plusieurs portfolios de photographes",
         "j'aime beaucoup ton travail et j'ai déjà des idées"),
    ),
    "Je cherche un·e binôme pour co-animer une formation à distance": (
        ("animation d'ateliers", "formation", "facilitation"),
        ("j'anime souvent à distance et j'aime le faire à deux",),
    ),
    "Je cherche des bras pour le paillage de printemps": (
        (),
        ("j'ai de bonnes bottes et un après-midi de libre",),
    ),
    "Je cherche de l'aide pour mettre en page un livret de recettes": (
        ("mise en page", "graphisme"),
        ("je mets en page des livrets toute l'année", "j'adore les livres de cuisine"),
    ),
    "Chantier participatif : construire l'abri à vélos de la ferme": (
        (),
        ("j'ai deux bras et une visseuse",),
    ),
    "Je cherche un covoiturage Nyons–Dieulefit le mardi": (
        (),
        ("je fais le trajet le mardi matin, je peux te prendre",),
    ),
    "Je cherche quelqu'un pour réviser une vieille machine à coudre": (
        ("mécanique", "soudure", "réparation électroménager"),
        ("j'aime bien redonner vie aux vieilles mécaniques",),
    ),
    "Je cherche une plume pour documenter mes plans de remorque vélo": (
        ("rédaction", "rédaction web"),
        ("j'écris de la documentation à mes heures",),
    ),
    "Je cherche quelqu'un pour m'apprendre à photographier pour mes articles": (
        ("photographie",),
        ("je fais de la photo depuis quinze ans",),
    ),
    "Je cherche des conversations en anglais pour préparer une présentation": (
        ("traduction anglais-français", "cours de langue"),
        ("l'anglais est ma langue de travail depuis des années",),
    ),
}  # fmt: skip


class Direct(NamedTuple):
    """Time given outside a listing, logged and confirmed some time in the history."""

    provider: str
    receiver: str
    title: str
    minutes: int
    message: str = ""


DIRECT_LOGS = [
    Direct("Thomas Lefebvre", "Hélène Vidal",
           "Remise en route de son ordinateur après une mise à jour ratée", 90,
           "Tout refonctionne, et les sauvegardes sont maintenant automatiques."),
    Direct("Manon Leroy", "Thomas Lefebvre", "Relecture de la page d'accueil de son site", 60),
    Direct("Hélène Vidal", "Anaïs Guérin", "Point sur ses cotisations URSSAF du trimestre", 60,
           "On a aussi regardé l'ACRE : à vérifier avec l'URSSAF avant la fin du mois."),
    Direct("Anaïs Guérin", "Thomas Lefebvre",
           "Facilitation de la réunion d'équipe de son projet associatif", 120),
    Direct("Camille Roux (admin)", "Thomas Lefebvre",
           "Décision par consentement pour la réunion du coworking", 90,
           "Belle réunion : la proposition sur les horaires est passée du premier coup."),
    Direct("Camille Roux (admin)", "Hélène Vidal",
           "Préparation de son intervention à la réunion inter-lieux", 60),
    Direct("Manon Leroy", "Camille Roux (admin)",
           "Traduction en anglais de la présentation du réseau", 120,
           "Pour nos partenaires européens : la version anglaise est sur le wiki."),
    Direct("Thomas Lefebvre", "Camille Roux (admin)",
           "Réglage de la messagerie et du calendrier partagé", 60),
    Direct("Hélène Vidal", "Camille Roux (admin)",
           "Conseils pour les notes de frais de la rencontre inter-lieux", 45),
    Direct("Camille Roux (admin)", "Sofia Costa",
           "Accompagnement de la réunion d'équipe de la CAE", 120,
           "Merci pour l'accueil à Marseille !"),
    Direct("Sofia Costa", "Sarah Lévy", "Traduction portugais-français d'un devis de traiteur", 45),
    Direct("Sarah Lévy", "Sofia Costa", "Portraits pour sa page de traductrice", 120,
           "Sélection de douze photos envoyée, retouchées."),
    Direct("Sofia Costa", "Amandine Roche", "Interprétariat portugais pour un entretien d'embauche",
           90),
    Direct("Amandine Roche", "Nadia Cherif", "Conseils avant de recruter une stagiaire", 90),
    Direct("Nadia Cherif", "Sofia Costa",
           "Préparation d'une prise de parole à la réunion coopérative", 60),
    Direct("Sofia Costa", "Mathilde Garnier",
           "Traduction portugaise du résumé de son dossier européen", 90),
    Direct("Mathilde Garnier", "Sofia Costa",
           "Relecture de sa demande de subvention pour les ateliers de langue", 60),
    Direct("Youssef El Amrani", "Ibrahim Keïta",
           "Mise en ligne de son site de podcasts sous WordPress", 120),
    Direct("Ibrahim Keïta", "Nadia Cherif", "Prise de son de sa formation en ligne", 90,
           "Les fichiers sont dans le dossier partagé, nettoyés du souffle."),
    Direct("Jérémie Bonnet", "Sarah Lévy", "Sérigraphie de vingt tote-bags pour son stand", 180),
    Direct("Inès Moreau", "Jérémie Bonnet",
           "Point trésorerie avant l'achat de sa nouvelle presse", 60),
    Direct("Mamadou Sow", "Mathilde Garnier", "Réparation de sa bouilloire et de son grille-pain",
           45, "Un fusible et un thermostat : comme neufs."),
    Direct("Rachid Bouzid", "Chloé Lambert",
           "Sauvegarde de ses rushes et nettoyage de son portable", 120),
    Direct("Chloé Lambert", "Justine Carré",
           "Montage d'une vidéo de présentation de son cercle de parole", 180),
    Direct("Justine Carré", "Mamadou Sow", "Médiation entre deux bénévoles du Repair Café", 90),
    Direct("Mathilde Garnier", "Rachid Bouzid",
           "Relecture de son dossier de subvention pour les ordinateurs solidaires", 120,
           "Dossier parti dans les temps, croisons les doigts !"),
    Direct("Marta Kowalska", "Chloé Lambert", "Relecture de sous-titres traduits de l'anglais", 60),
    Direct("Antoine Dubois", "Mamadou Sow",
           "Impression 3D d'une pièce de rechange pour un aspirateur", 45),
    Direct("Baptiste Morel", "Mamadou Sow", "Réparation de l'établi du Repair Café", 90),
    Direct("Mamadou Sow", "Baptiste Morel", "Réparation du moteur de sa scie circulaire", 60),
    Direct("Baptiste Morel", "Lan Nguyen", "Réparation d'une chaise et d'un tabouret", 60),
    Direct("Lan Nguyen", "Olivier Marchand",
           "Test de son formulaire d'adhésion avec trois usagers", 90,
           "Trois tests, trois blocages au même endroit : le champ « date de naissance »."),
    Direct("Olivier Marchand", "Fatou Ndiaye",
           "Relecture des statuts de l'association de la radio", 90),
    Direct("Fatou Ndiaye", "Louise Mercier",
           "Communiqué de presse pour la sortie de son album jeunesse", 120),
    Direct("Louise Mercier", "Gaëlle Le Gall", "Illustration de l'affiche de l'atelier couture",
           150),
    Direct("Gaëlle Le Gall", "Diego Fernandes", "Couture de douze tabliers pour la cantine", 180,
           "Douze tabliers, dont deux taille enfant pour les commis du vendredi."),
    Direct("Diego Fernandes", "Baptiste Morel",
           "Transport de planches de récupération en camion", 90),
    Direct("Salomé Giraud", "Rachid Bouzid", "Initiation aux bocaux de lacto-fermentation", 120),
    Direct("Thomas Lefebvre", "Salomé Giraud", "Installation d'une imprimante à la ferme", 60),
    Direct("Salomé Giraud", "Élodie Perrin", "Atelier conserves pour la fête de son quartier", 90),
    Direct("Élodie Perrin", "Salomé Giraud", "Relecture du programme des chantiers du samedi", 45),
    Direct("Rachid Bouzid", "Salomé Giraud", "Sauvegarde des photos de la ferme sur un disque", 60),
    Direct("Bertrand Chauvin", "Salomé Giraud", "Taille des arbres fruitiers du verger", 120),
    Direct("Aurélien Masson", "Bertrand Chauvin", "Réparation de la porte de la miellerie", 90),
    Direct("Élodie Perrin", "Maëlle Rousseau", "Relecture des textes de son site vitrine", 60),
    Direct("Maëlle Rousseau", "Élodie Perrin", "Mise en page de sa lettre d'information", 120),
    Direct("Kevin Tran", "Léa Fontaine", "Tableau de suivi de ses piges", 90),
    Direct("Léa Fontaine", "Kevin Tran",
           "Relecture de son article de blog sur les données ouvertes", 60),
    Direct("Justine Carré", "Maëlle Rousseau",
           "Séance de coaching avant un rendez-vous client difficile", 60),
    Direct("Pierre-Yves Kerjean", "Théo Girard",
           "Clarifier le qui-fait-quoi de son projet de site", 60),
    Direct("Zoé Bertin", "Léa Fontaine", "Reprise de la doublure de son manteau", 45),
    Direct("Yann Le Bihan", "Kevin Tran", "Réglage complet de son vélo avant l'hiver", 60),
    Direct("Théo Girard", "Lan Nguyen", "Mise en ligne de son portfolio", 120),
    Direct("Samuel Cohen", "Manon Leroy", "Photos pour la page de son site de traductrice", 90),
    Direct("Malik Traoré", "Karim Haddad", "Fiche Google de la coopérative de coursiers", 60),
    Direct("Karim Haddad", "Anaïs Guérin", "Réparation de son vélo : freins et câbles", 45),
    Direct("Sofia Costa", "Sarah Lévy", "Traduction portugaise de sa carte pour le marché", 60),
    Direct("Amandine Roche", "Sofia Costa", "Relecture du contrat de sa première salariée", 90),
    Direct("Mamadou Sow", "Chloé Lambert", "Remise en état de sa lampe de montage", 45),
    Direct("Chloé Lambert", "Mamadou Sow", "Petite vidéo du Repair Café pour les réseaux", 120),
    Direct("Salomé Giraud", "Maëlle Rousseau", "Visite du jardin et conseils pour son balcon", 60),
    Direct("Camille Roux (admin)", "Anaïs Guérin",
           "Préparation du forum ouvert de la rencontre inter-lieux", 90),
    Direct("Camille Roux (admin)", "Manon Leroy",
           "Conseils pour animer sa première réunion de coordination", 60),
    Direct("Malik Traoré", "Camille Roux (admin)", "Référencement de la page publique du réseau",
           60),
    Direct("Baptiste Morel", "Diego Fernandes", "Étagères sur mesure pour la réserve de la cantine",
           180, "Trois étagères en chêne de récup, fixées au mur."),
    Direct("Olivier Marchand", "Baptiste Morel", "Relecture de ses conditions de vente de meubles",
           60),
    Direct("Mamadou Sow", "Sofia Costa",
           "Réparation de son enregistreur pour les entretiens en portugais", 45),
]  # fmt: skip

# Gifts between members (pay it forward): giver, recipient, minutes, message.
GIFTS = [
    ("Salomé Giraud", "Bertrand Chauvin", 60,
     "Bienvenue à la ferme, Bertrand ! De quoi te lancer avant tes premiers échanges."),
    ("Mamadou Sow", "Antoine Dubois", 60,
     "Merci d'avoir tenu le fablab au pied levé mercredi dernier !"),
    ("Zoé Bertin", "Yann Le Bihan", 60,
     "Pour la soudure sur le pied de ma machine à coudre : tu n'as rien voulu déclarer, alors "
     "voilà."),
    ("Lan Nguyen", "Olivier Marchand", 60,
     "Merci pour tes conseils sur notre AG, donnés entre deux cafés : tu n'as rien voulu "
     "déclarer !"),
    ("Manon Leroy", "Hélène Vidal", 60, "Pour ta patience avec mes notes de frais de l'été : merci !"),
    ("Justine Carré", "Mathilde Garnier", 90,
     "Pour le dossier de subvention bouclé à deux heures du matin : tu es formidable."),
    ("Camille Roux (admin)", "Thomas Lefebvre", 60,
     "Merci d'avoir dépanné le wifi en pleine rencontre inter-lieux !"),
    ("Maëlle Rousseau", "Kevin Tran", 60,
     "Merci pour le coup de main sur le tableur des adhésions du Quai."),
    ("Sofia Costa", "Inès Moreau", 60, "Bienvenue à la coopérative, et merci pour ton accueil !"),
    ("Thomas Lefebvre", "Yasmine Benali", 60,
     "Bienvenue aux Ateliers du Rhône ! Une heure pour te lancer."),
]  # fmt: skip

# Gifts to the common pot: who gives is whoever has time to spare then.
POT_GIFTS = [  # two more than RETRIBUTIONS: see _plan_pot
    (120, "Mes heures en trop du mois : qu'elles servent à quelqu'un qui démarre."),
    (180, "Merci au réseau pour l'accueil, je fais circuler."),
    (120, "Pour les prochains ateliers Care'n Share."),
    (240, "J'ai plus d'heures que je n'en utilise : une partie pour la caisse commune."),
    (180, "Pour remercier celles et ceux qui font vivre les communs du réseau."),
    (
        60,
        "Une heure pour la caisse, en souvenir d'un coup de main qu'on ne m'a pas laissé déclarer.",
    ),
    (180, "Pour que les bénévoles du Repair Café s'y retrouvent."),
    (120, "Ma part pour le wiki commun et celles et ceux qui le tiennent à jour."),
    (240, "Les heures gagnées à la fête de quartier : pour la caisse commune."),
    (180, "Un petit don pour la caisse, merci à toutes et à tous."),
    (180, "Pour les chantiers participatifs de la ferme."),
    (180, "Pour la caisse commune, en remerciement des Care'n Share du lundi."),
    (240, "Des heures qui dormaient sur mon compte : je les fais circuler."),
    (180, "Pour accueillir les prochains lieux du réseau."),
    (180, "Pour que la caisse commune ne soit jamais vide."),
    (120, "Merci pour le Care'n Share de lundi : j'en suis reparti·e plein·e d'idées."),
]

# Retributions from the pot for contributions to the commons: coordinator, member, minutes,
# reason ({de_mois}: "de mars", "d'avril"…, the month of the contribution).
RETRIBUTIONS = [
    ("Thomas Lefebvre", "Anaïs Guérin", 120, "Animation de l'atelier Care'n Share {de_mois}"),
    ("Sofia Costa", "Nadia Cherif", 120,
     "Animation de la réunion d'information de la CAE {de_mois}"),
    ("Manon Leroy", "Thomas Lefebvre", 180,
     "Mise à jour du wiki commun : pages « Accueil des nouveaux » et « Wifi du coworking »"),
    ("Camille Roux (admin)", "Hélène Vidal", 90,
     "Tableau de suivi de la caisse commune pour la réunion inter-lieux"),
    ("Baptiste Morel", "Gaëlle Le Gall", 180, "Atelier couture ouvert à tous, les samedis {de_mois}"),
    ("Justine Carré", "Chloé Lambert", 180, "Sous-titrage de la vidéo de présentation du réseau"),
    ("Salomé Giraud", "Élodie Perrin", 120,
     "Lettre d'information commune des lieux, numéro {de_mois}"),
    ("Louise Mercier", "Olivier Marchand", 120,
     "Relecture juridique de la charte commune avant son adoption"),
    ("Maëlle Rousseau", "Léa Fontaine", 150,
     "Mise à jour du wiki commun : guide « Publier une annonce »"),
    ("Amandine Roche", "Sarah Lévy", 120, "Photos des membres pour le trombinoscope de la CAE"),
    ("Mamadou Sow", "Rachid Bouzid", 240, "Tenue du stand informatique du Repair Café {de_mois}"),
    ("Kevin Tran", "Zoé Bertin", 120, "Stand de réparation textile à la fête du Quai"),
    ("Camille Roux (admin)", "Pierre-Yves Kerjean", 180,
     "Facilitation de la rencontre inter-lieux {de_mois}"),
    ("Thomas Lefebvre", "Anaïs Guérin", 120, "Animation de l'atelier Care'n Share {de_mois}"),
]  # fmt: skip

# Who typed 10 h instead of 1 h (the first of them with a balance that allowed it).
CORRECTED_GIVERS = (
    "Karim Haddad", "Malik Traoré", "Manon Leroy", "Anaïs Guérin", "Hélène Vidal", "Thomas Lefebvre",
)  # fmt: skip

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


class Recent(NamedTuple):
    """An exchange of the last days: a proposal on a listing, then its steps; the step that
    leaves it open goes through the services (see `_play`). `days`: how many days ago each
    step happened, the proposal first.
    Steps: ("accept" | "decline", text) by the listing's author; ("cancel", who, text);
    ("log", who, minutes, note); ("dispute", text) by the party who did not log.
    `who` is "initiator" or "author"."""

    listing: str
    initiator: str
    message: str
    foreseen: int | None
    days: tuple[float, ...]
    steps: tuple[tuple, ...] = ()


RECENT = [
    Recent("Je cherche quelqu'un pour démêler ma compta de graphiste", "Hélène Vidal",
           "Bonjour Yasmine, et bienvenue aux Ateliers ! La compta de graphiste, je connais "
           "bien : factures, URSSAF, frais de matériel. Je suis au coworking jeudi matin, on s'y "
           "met autour d'un café ?", 120, (0.5,)),
    Recent("Je cherche une graphiste pour rendre mes fiches pratiques lisibles", "Yasmine Benali",
           "Bonjour Hélène, je suis graphiste et toute nouvelle aux Ateliers. Tes fiches « TVA » "
           "et « URSSAF » me plaisent beaucoup : je te propose une maquette commune pour les "
           "trois. Et si tu m'aides un jour sur ma compta, on est quittes !", 180, (0.3,)),
    Recent("Je cherche un outil de facturation simple, et quelqu'un pour me le montrer",
           "Inès Moreau",
           "Bonjour Sofia, j'utilise un outil libre tout simple pour mes factures et celles de "
           "deux clientes. Je peux te le montrer en visio, une petite heure, mardi ou mercredi ?",
           60, (2.2,)),
    Recent("Initiation à la menuiserie à l'atelier bois", "Lan Nguyen",
           "Bonjour Baptiste, ça fait longtemps que je veux apprendre à l'atelier bois. J'ai un "
           "projet de petite étagère pour mes carnets : samedi matin, ça te conviendrait ?",
           180, (3.1,)),
    Recent("Comprendre son tableau électrique avant de bricoler", "Chloé Lambert",
           "Bonjour Mamadou, je viens d'emménager et j'aimerais changer deux luminaires sans "
           "rien faire sauter. Une heure avec toi devant mon tableau, ce serait parfait : tu "
           "passes par Fives quand ?", 60, (3.8,)),
    Recent("Je cherche des testeurs et des testeuses pour mes maquettes", "Zoé Bertin",
           "Bonjour Maëlle, je veux bien tester tes maquettes : je ne suis pas du tout du métier, "
           "c'est peut-être justement ce qu'il te faut ! Je suis au Quai jeudi.", 30, (1.0,)),
    Recent("Audit d'accessibilité express de votre site", "Malik Traoré",
           "Salut Thomas, je refais le site d'une association de quartier et j'aimerais ton "
           "regard sur l'accessibilité avant la mise en ligne. Deux heures la semaine prochaine, "
           "ça te va ?", 120, (2.0,)),
    Recent("Rédiger ou toiletter les statuts de votre association ou de votre SCIC",
           "Camille Roux (admin)",
           "Bonjour Olivier, l'association qui porte Archipel doit toiletter ses statuts avant "
           "sa prochaine AG, notamment pour accueillir de nouveaux lieux. Aurais-tu deux heures "
           "pour les relire avec moi ?", 120, (2.9,)),
    Recent("Je cherche de l'aide pour mettre en page un livret de recettes", "Élodie Perrin",
           "Bonjour Salomé, la mise en page, c'est ce que je préfère ! Je te propose une maquette "
           "sobre, une recette par double page. Je peux m'y mettre la semaine prochaine.", 240,
           (11.0, 10.2, 2.1),
           (("accept", "Génial, merci Élodie ! Je te passe les recettes et les photos du jardin."),
            ("log", "initiator", 270,
             "Maquette terminée et envoyée en PDF : il ne reste que deux photos à remplacer."))),
    Recent("Je cherche de l'aide pour monter le site de notre coopérative de coursiers",
           "Théo Girard",
           "Salut Karim, j'aime beaucoup l'idée d'un site simple pour votre coop. Je te propose "
           "une première séance pour poser la structure, puis on le remplit ensemble.", 240,
           (6.2, 5.4),
           (("accept", "Top, merci Théo ! On se voit en visio mardi soir, je t'envoie le lien."),)),
    Recent("Je cherche un·e photographe pour la générale d'une compagnie de théâtre",
           "Samuel Cohen",
           "Bonjour Fatou, je serai à Nantes pour un tournage la semaine de votre générale : je "
           "peux venir la photographier, sans flash bien sûr, et vous livrer une sélection le "
           "lendemain.", 180, (7.1, 6.3),
           (("accept", "Merci Samuel ! La générale est jeudi à 19 h : je te mets sur la liste à "
                       "l'accueil."),)),
    Recent("Votre site associatif en une après-midi", "Diego Fernandes",
           "Bonjour Théo, l'association de la cantine n'a toujours pas de site. Une après-midi "
           "pour en monter un, c'est exactement ce qu'il nous faut !", 180,
           (12.2, 11.5, 5.2, 4.3),
           (("accept", "Avec plaisir ! On le fera en deux ou trois séances, ce sera plus simple "
                       "pour vous laisser le temps d'écrire les textes."),
            ("log", "author", 360, "Trois séances : structure, contenus, mise en ligne. Le site "
                                   "est en ligne !"),
            ("dispute", "L'annonce parlait d'une après-midi, et on s'est vus deux fois deux "
                        "heures : je compte 4 h, pas 6 h. Le site est très bien, mais je ne peux "
                        "pas confirmer ce chiffre."))),
    Recent("Prendre en main votre site WordPress, sans m'appeler à chaque fois", "Marta Kowalska",
           "Bonjour Youssef, mon site de traductrice a besoin d'une bonne reprise en main : une "
           "séance pour apprendre à le modifier seule me changerait la vie.", 120, (9.3, 8.4),
           (("cancel", "initiator", "Je m'aperçois que mon site n'est pas du tout sous "
                                    "WordPress… Désolée ! Je reviens vers toi si je change "
                                    "d'outil."),)),
    Recent("Je cherche une plume pour documenter mes plans de remorque vélo", "Léa Fontaine",
           "Bonjour Yann, j'écris de la documentation pour des outils numériques : des plans de "
           "remorque, ce serait un joli changement ! Je te propose deux séances pour commencer.",
           180, (6.4, 5.6), (("accept", "Avec grand plaisir, Léa ! Je t'envoie les plans."),)),
    Recent("Je cherche une plume pour documenter mes plans de remorque vélo",
           "Pierre-Yves Kerjean",
           "Bonjour Yann, je peux t'aider à structurer ta documentation : plan, étapes, schémas "
           "à prévoir. Le rédactionnel, on le fait à deux ?", 120, (5.5, 5.0),
           (("decline", "Merci Pierre-Yves ! Léa s'est proposée juste avant toi et on a "
                        "commencé : je te fais signe pour la suite, il reste trois plans à "
                        "documenter."),)),
    Recent("Nettoyer le fichier Excel qui a beaucoup vécu", "Julien Faure",
           "Bonjour Kevin, j'arrive au Quai avec le fichier d'adhérents d'une association dont "
           "je suis trésorier : quatre onglets, trois colonnes « e-mail »… Tu aurais deux "
           "heures ?", 120, (5.0, 4.4, 1.2),
           (("accept", "Ah, un classique ! Mercredi après-midi au Quai ?"),
            ("log", "author", 120, "Doublons fusionnés, une seule colonne e-mail, et un onglet "
                                   "de contrôle pour la suite."))),
]  # fmt: skip

# A direct log of the last days that waits for the other side's confirmation.
RECENT_LOGS = [
    ("Anaïs Guérin", "Camille Roux (admin)", 4.8,
     "Co-animation du forum ouvert de la rencontre inter-lieux", 150,
     "Merci Camille pour la confiance : on a tenu le timing, et les comptes rendus sont sur le "
     "wiki."),
]  # fmt: skip


# ---------------------------------------------------------------------------- the world


class Step(NamedTuple):
    kind: str  # an ExchangeEvent kind
    actor: User | None
    at: datetime
    minutes: int | None = None
    text: str = ""


@dataclass
class _Plan:
    at: datetime  # when its movement (or its last step) happens: history runs in this order
    run: Callable[[], object]
    rng: random.Random | None = None  # given by _run


@dataclass
class _Move:
    """A movement decided by the history, written through the ledger once the exchanges
    have their ids; `then` runs with the transfer written (the moderation log)."""

    at: datetime
    kind: str
    payer: int  # account ids
    payee: int
    minutes: int
    reason: str
    author_id: int | None
    exchange: Exchange | None = None
    reverses: _Move | None = None
    then: Callable[[Transfer], object] | None = None
    transfer: Transfer | None = None

    def write(self) -> None:
        self.transfer = transfers.transfer(
            kind=self.kind,
            from_account=self.payer,
            to_account=self.payee,
            minutes=self.minutes,
            reason=self.reason,
            author_id=self.author_id,
            exchange_id=self.exchange.id if self.exchange else None,
            reverses_id=self.reverses.transfer.id if self.reverses else None,
            at=self.at,
        )
        if self.then is not None:
            self.then(self.transfer)


@dataclass
class _World:
    rng: random.Random
    now: datetime
    zone: ZoneInfo
    admin: User
    users: dict[str, User]  # by display name
    spaces: dict[int, dict[int, datetime]]  # user id -> {space id: active since}
    coordinates: dict[int, dict[int, datetime]]  # user id -> {space id: coordinator since}
    skills: dict[int, set[str]]  # user id -> skill slugs
    listings: dict[str, Listing]  # by title
    accounts: dict[int, Account]  # user id -> time account
    pot: Account
    floor: int
    ceiling: int
    featured: set[int]
    log_days: int
    rules: object  # the rules' row, held so that each transfer finds it in the session
    balance: dict[int, int] = field(default_factory=dict)  # account id -> minutes, as it goes
    plans: list[_Plan] = field(default_factory=list)
    exchanges: list[tuple[Exchange, list[Step]]] = field(default_factory=list)
    moves: list[_Move] = field(default_factory=list)  # in date order
    afterwards: list[Callable[[], object]] = field(default_factory=list)  # once ids exist
    reserved: int = 0  # minutes of the pot that a correction will take back

    def since(self, user: User) -> datetime:
        """When the member first became active in a space of the network."""
        return min(self.spaces[user.id].values())

    def user(self, name: str) -> User:
        return self.users[name]

    def local_day(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()

    def daytime(self, day: datetime, earliest: int = 9, latest: int = 19) -> datetime:
        """A moment of that day between `earliest` and `latest` o'clock, Paris time."""
        local = day.astimezone(self.zone)
        start = local.replace(hour=earliest, minute=0, second=0, microsecond=0)
        moment = start + timedelta(minutes=self.rng.randint(0, (latest - earliest) * 60))
        return min(moment.astimezone(day.tzinfo), self.now)  # today's: never later than now

    def awake(self, moment: datetime) -> datetime:
        """The moment, or the next morning when it falls in the night (Paris time)."""
        local = moment.astimezone(self.zone)
        minutes = self.rng.randint(0, 150)  # drawn in any case: the draws stay the same
        if 8 <= local.hour < 22:
            return moment
        if local.hour >= 22:
            local += timedelta(days=1)
        morning = local.replace(hour=8, minute=0, second=0, microsecond=0)
        return min((morning + timedelta(minutes=minutes)).astimezone(moment.tzinfo), self.now)


def add(rng: random.Random, now: datetime, admin: User, spaces: dict[str, Space]) -> None:
    """Give the demo network its exchanges and history, and commit (after `demo.seed`)."""
    _admin_joins(admin, spaces[ADMIN_SPACE])
    world = _load(rng, now, admin)
    _plan_history(world)
    _run(world)  # decides everything, in date order, balances kept in `world.balance`
    _write_history(world)
    recent = _Recent.of(world)
    db.session.commit()
    # What follows goes through the services, one commit each: a small session keeps it fast.
    db.session.expunge_all()
    for story in RECENT:
        _play(recent, story)
    for log in RECENT_LOGS:
        _play_log(recent, *log)
    db.session.commit()


def _write_history(w: _World) -> None:
    """The exchanges at once (their ids), then every movement in date order through the
    ledger, which checks the limits again, then the exchanges' steps at once."""
    db.session.add_all([exchange for exchange, _steps in w.exchanges])
    db.session.flush()
    for move in w.moves:
        move.write()
    for then in w.afterwards:
        then()
    db.session.execute(
        insert(ExchangeEvent),
        [
            {
                "exchange_id": exchange.id,
                "actor_id": step.actor.id if step.actor else None,
                "kind": step.kind,
                "minutes": step.minutes,
                "message": step.text,
                "created_at": step.at,
            }
            for exchange, steps in w.exchanges
            for step in steps
        ],
    )


def _dice(parent: random.Random) -> random.Random:
    return random.Random(parent.getrandbits(64))  # noqa: S311 - a demo's dice, not a secret


def _run(w: _World) -> None:
    """Play the history in date order; a plan that answers with a plan is put off till then.

    Each plan draws from a generator of its own, seeded in the order the plans were made:
    what one plan picks does not depend on how many draws the plans before it made."""
    main = w.rng
    for plan in w.plans:
        plan.rng = _dice(main)
    queue = [(plan.at, i, plan) for i, plan in enumerate(w.plans)]
    heapq.heapify(queue)
    count = len(queue)
    while queue:
        _when, _i, plan = heapq.heappop(queue)
        w.rng = plan.rng
        if isinstance(later := plan.run(), _Plan):
            later.rng = _dice(plan.rng)
            heapq.heappush(queue, (later.at, count, later))
            count += 1
    w.rng = main


def _admin_joins(admin: User, space: Space) -> None:
    """The admin is also a member of their own coworking space: it is how they exchange."""
    since = space.created_at + timedelta(hours=1)
    db.session.add(
        Membership(
            user=admin,
            space=space,
            status="active",
            role="member",
            requested_at=since,
            decided_at=since,
        )
    )
    db.session.flush()


def _load(rng: random.Random, now: datetime, admin: User) -> _World:
    users = {
        u.display_name: u
        for u in db.session.scalars(
            select(User).order_by(User.id).options(selectinload(User.skills))
        )
    }
    spaces: dict[int, dict[int, datetime]] = {}
    coordinates: dict[int, dict[int, datetime]] = {}
    for m in db.session.scalars(
        select(Membership).where(Membership.status == "active").order_by(Membership.id)
    ):
        spaces.setdefault(m.user_id, {})[m.space_id] = m.decided_at or m.requested_at
        if m.role == "coordinator":
            coordinates.setdefault(m.user_id, {})[m.space_id] = m.decided_at or m.requested_at
    accounts = {
        a.user_id: a for a in db.session.scalars(select(Account).where(Account.kind == "member"))
    }
    rules = network_rules.current()
    # The log-ins `demo.print_logins` shows: the admin, the first coordinator of each space,
    # the first two members who coordinate nothing. Their statements should be worth a look.
    featured = {admin.id}
    by_space: dict[int, int] = {}
    for user_id, coordinated in coordinates.items():
        for space_id in coordinated:
            by_space[space_id] = min(by_space.get(space_id, user_id), user_id)
    featured.update(by_space.values())
    plain = sorted(uid for uid in spaces if uid not in coordinates and uid != admin.id)
    featured.update(plain[:2])
    return _World(
        rng=rng,
        now=now,
        zone=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]),
        admin=admin,
        users=users,
        spaces=spaces,
        coordinates=coordinates,
        skills={u.id: {s.slug for s in u.skills} for u in users.values()},
        listings={li.title: li for li in db.session.scalars(select(Listing).order_by(Listing.id))},
        accounts=accounts,
        pot=transfers.pot(),
        floor=rules.credit_floor,
        ceiling=rules.credit_ceiling,
        featured=featured,
        log_days=lifecycle.log_days(),
        rules=db.session.get(NetworkSettings, 1),
        balance={a.id: a.balance for a in [*accounts.values(), transfers.pot()]},
    )


# ---------------------------------------------------------------------------- writing


def _fits(w: _World, payer: Account, payee: Account, minutes: int) -> bool:
    """Whether the movement stays within the limits (the ledger would refuse it otherwise)."""
    floor = 0 if payer.is_pot else w.floor
    if w.balance[payer.id] - minutes < floor:
        return False
    return payee.is_pot or w.balance[payee.id] + minutes <= w.ceiling


def _move(
    w: _World,
    kind: str,
    payer: Account,
    payee: Account,
    minutes: int,
    reason: str,
    author,
    at,
    **more,
) -> _Move | None:
    """Decide a movement if the limits allow it then (None otherwise)."""
    if not _fits(w, payer, payee, minutes):
        return None
    w.balance[payer.id] -= minutes
    w.balance[payee.id] += minutes
    move = _Move(
        at, kind, payer.id, payee.id, minutes, reason, author.id if author else None, **more
    )
    w.moves.append(move)
    return move


def _write(
    w: _World,
    *,
    provider: User,
    receiver: User,
    initiator: User,
    title: str,
    steps: list[Step],
    listing: Listing | None = None,
    message: str = "",
    foreseen: int | None = None,
    performed_on: date | None = None,
) -> Exchange:
    """An exchange of the history with its steps; its state follows from the last one.
    Written with the others by `_write_history`."""
    exchange = Exchange(
        listing_id=listing.id if listing else None,
        provider_id=provider.id,
        receiver_id=receiver.id,
        initiator_id=initiator.id,
        title=title[:120],
        message=message,
        foreseen_minutes=foreseen,
        performed_on=performed_on,
        created_at=steps[0].at,
        updated_at=steps[-1].at,
    )
    state = "proposed"
    for step in steps:
        if step.kind == "logged":
            state = "done"
            exchange.minutes = step.minutes
            exchange.logged_by_id = step.actor.id
            exchange.logged_at = step.at
            exchange.expires_at = step.at + timedelta(days=w.log_days)
        elif step.kind == "disputed":
            state = "disputed"
            exchange.dispute_reason = step.text
        elif step.kind == "resolved":
            state = "confirmed" if step.minutes else "cancelled"
            exchange.resolved_by_id = step.actor.id
            exchange.minutes = step.minutes or exchange.minutes
        else:
            state = step.kind
    exchange.state = state
    if state not in OPEN_STATES:
        exchange.closed_at = steps[-1].at
    w.exchanges.append((exchange, steps))
    return exchange


def _settle(exchange: Exchange, w: _World, author: User, minutes: int, reason: str, at) -> None:
    payer, payee = w.accounts[exchange.receiver_id], w.accounts[exchange.provider_id]
    if _move(w, "settlement", payer, payee, minutes, reason, author, at, exchange=exchange) is None:
        raise AssertionError(f"checked before: {exchange.title}")


def _done_minutes(w: _World, foreseen: int | None) -> tuple[int, str]:
    """The time actually given against the time foreseen, and what the logger says."""
    if foreseen is None:
        return w.rng.choice([60, 90, 120, 150, 180]), w.rng.choice(NOTES_AS_FORESEEN)
    delta = w.rng.choice([-30, -15, 0, 0, 0, 0, 15, 30, 60])
    minutes = max(30, foreseen + delta)
    if minutes > foreseen:
        return minutes, w.rng.choice(NOTES_LONGER)
    if minutes < foreseen:
        return minutes, w.rng.choice(NOTES_SHORTER)
    return minutes, w.rng.choice(NOTES_AS_FORESEEN)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _proposal(w: _World, listing: Listing, why: str) -> str:
    templates = OFFER_PROPOSALS if listing.kind == "offer" else REQUEST_PROPOSALS
    slot = w.rng.choice(SLOTS)
    return w.rng.choice(templates).format(
        first=listing.author.display_name.split()[0],
        why=why,
        Why=_cap(why),
        slot=slot,
        Slot=_cap(slot),
    )


def _de_mois(day: date) -> str:
    month = MONTHS[day.month - 1]
    return f"d'{month}" if month[0] in "ao" else f"de {month}"


def _le_jour(day: date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]}"


# ---------------------------------------------------------------------------- history


def _plan_history(w: _World) -> None:
    start = w.now - timedelta(days=HISTORY_DAYS)
    for listing in w.listings.values():
        _plan_listing(w, listing, start)
    for direct in DIRECT_LOGS:
        _plan_direct(w, direct, start)
    _plan_gifts(w, start)
    _plan_pot(w, start)
    _plan_stories(w)


def _listing_window(w: _World, listing: Listing, start: datetime) -> tuple[datetime, datetime]:
    """When a listing could be answered: from the day after it was published until it was
    paused, closed or expired, and at the latest a few days ago."""
    begin = max(start, listing.created_at + timedelta(days=1))
    end = w.now - SETTLED_BEFORE
    if listing.status in ("paused", "closed"):
        end = min(end, listing.updated_at - timedelta(days=1))
    end = min(end, listing.expires_at - timedelta(days=1))
    return begin, end


def _plan_listing(w: _World, listing: Listing, start: datetime) -> None:
    """A few settled exchanges on a listing, over the time it was visible."""
    if listing.kind == "offer":
        if listing.title not in OFFER_NEEDS:
            return
    elif listing.title not in REQUEST_HELPERS:
        return
    begin, end = _listing_window(w, listing, start)
    days = (end - begin).total_seconds() / 86400
    if days < 4:
        return
    count = min(2, int(days / w.rng.uniform(30, 45)))
    if listing.author_id in w.featured:
        count += 1
    answered: set[int] = set()
    for _ in range(count):
        proposed = w.awake(begin + (end - begin) * w.rng.random() * 0.8)
        accepted = w.awake(proposed + timedelta(hours=w.rng.uniform(2, 30)))
        performed = w.daytime(accepted + timedelta(days=w.rng.uniform(1, 8)))
        logged = min(w.awake(performed + timedelta(hours=w.rng.uniform(1, 20))), end)
        confirmed = w.awake(logged + timedelta(hours=w.rng.uniform(2, 60)))
        if not (accepted < performed < logged < confirmed < w.now - timedelta(hours=12)):
            continue
        times = (proposed, accepted, performed, logged, confirmed)
        w.plans.append(_Plan(confirmed, partial(_listing_exchange, w, listing, times, answered)))


def _counterpart(w: _World, listing: Listing, at: datetime, answered: set[int]) -> User | None:
    """Who answers the listing then: a member already there (in its space when on site),
    with the skills a request asks for, able to pay or be paid within the limits."""
    helpers = set()
    if listing.kind == "request":
        helpers = {slugify(name) for name in REQUEST_HELPERS[listing.title][0]}
    minutes = listing.estimated_minutes or 120
    author = w.accounts[listing.author_id]
    people, weights = [], []
    for user in w.users.values():
        spaces = w.spaces.get(user.id)
        if user.id == listing.author_id or user.id in answered or not spaces:
            continue
        joined = spaces.get(listing.space_id) if listing.mode == "on_site" else min(spaces.values())
        if joined is None or joined > at - timedelta(days=1):
            continue
        if helpers and not helpers & w.skills[user.id]:
            continue
        account = w.accounts[user.id]
        payer, payee = (account, author) if listing.kind == "offer" else (author, account)
        if not _fits(w, payer, payee, minutes + 60):
            continue
        weight = 3.0 if user.id in w.featured else 1.0
        if listing.space_id in spaces:
            weight *= 3
        # Who has received a lot tends to give back, and the other way round.
        balance = w.balance[account.id]
        lean = balance / 600 if listing.kind == "offer" else -balance / 600
        weight *= min(3.0, max(0.25, 1 + lean))
        people.append(user)
        weights.append(weight)
    if not people:
        return None
    return w.rng.choices(people, weights)[0]


def _listing_exchange(w: _World, listing: Listing, times, answered: set[int]) -> None:
    proposed, accepted, performed, logged, confirmed = times
    other = _counterpart(w, listing, proposed, answered)
    if other is None:
        return
    author = listing.author
    provider, receiver = (author, other) if listing.kind == "offer" else (other, author)
    foreseen = listing.estimated_minutes
    minutes, note = _done_minutes(w, foreseen)
    if not _fits(w, w.accounts[receiver.id], w.accounts[provider.id], minutes):
        return
    if listing.kind == "offer":
        why = w.rng.choice(OFFER_NEEDS[listing.title])
    else:
        why = w.rng.choice(REQUEST_HELPERS[listing.title][1])
    message = _proposal(w, listing, why)
    logger = provider if w.rng.random() < 0.75 else receiver
    confirmer = receiver if logger is provider else provider
    answered.add(other.id)
    exchange = _write(
        w,
        provider=provider,
        receiver=receiver,
        initiator=other,
        title=listing.title,
        listing=listing,
        message=message,
        foreseen=foreseen,
        performed_on=w.local_day(performed),
        steps=[
            Step("proposed", other, proposed, foreseen, message),
            Step("accepted", author, accepted, None, w.rng.choice(ACCEPTS)),
            Step("logged", logger, logged, minutes, note),
            Step("confirmed", confirmer, confirmed, minutes),
        ],
    )
    _settle(exchange, w, confirmer, minutes, listing.title, confirmed)


def _direct_window(w: _World, provider: User, receiver: User, start: datetime):
    begin = max(start, w.since(provider), w.since(receiver)) + timedelta(days=1)
    return begin, w.now - timedelta(days=2)


def _plan_direct(w: _World, direct: Direct, start: datetime) -> None:
    provider, receiver = w.user(direct.provider), w.user(direct.receiver)
    begin, end = _direct_window(w, provider, receiver, start)
    if end - begin < timedelta(days=2):
        return
    # More of them in the first months, when there were fewer listings to answer.
    performed = w.daytime(begin + (end - begin) * w.rng.random() ** 1.4 * 0.9)
    logged = w.awake(performed + timedelta(hours=w.rng.uniform(1, 30)))
    confirmed = w.awake(logged + timedelta(hours=w.rng.uniform(1, 72)))
    if confirmed >= w.now - timedelta(hours=6):
        return
    logger = provider if w.rng.random() < 0.75 else receiver
    w.plans.append(
        _Plan(confirmed, partial(_direct_exchange, w, direct, logger, performed, logged, confirmed))
    )


def _direct_exchange(w: _World, direct: Direct, logger: User, performed, logged, confirmed):
    provider, receiver = w.user(direct.provider), w.user(direct.receiver)
    if not _fits(w, w.accounts[receiver.id], w.accounts[provider.id], direct.minutes):
        return None
    confirmer = receiver if logger is provider else provider
    exchange = _write(
        w,
        provider=provider,
        receiver=receiver,
        initiator=logger,
        title=direct.title,
        message=direct.message,
        performed_on=w.local_day(performed),
        steps=[
            Step("logged", logger, logged, direct.minutes, direct.message),
            Step("confirmed", confirmer, confirmed, direct.minutes),
        ],
    )
    _settle(exchange, w, confirmer, direct.minutes, direct.title, confirmed)
    return exchange


def _gift(w: _World, giver: User, to: Account, minutes: int, message: str, at: datetime):
    return _move(w, "gift", w.accounts[giver.id], to, minutes, message, giver, at)


def _plan_gifts(w: _World, start: datetime) -> None:
    for giver_name, recipient_name, minutes, message in GIFTS:
        giver, recipient = w.user(giver_name), w.user(recipient_name)
        begin = max(start, w.since(giver), w.since(recipient)) + timedelta(hours=6)
        end = w.now - timedelta(hours=3)
        if begin >= end:
            continue
        at = w.awake(begin + (end - begin) * w.rng.uniform(0.2, 0.9))
        w.plans.append(_Plan(at, partial(_gift, w, giver, w.accounts[recipient.id], minutes,
                                         message, at)))  # fmt: skip


def _plan_pot(w: _World, start: datetime) -> None:
    """Gifts to the pot all along, and retributions from it in between, always a gift or two
    behind, so that the pot has something to give."""
    gifts, retributions = iter(POT_GIFTS), iter(RETRIBUTIONS)
    order = ["gift", "gift"] + ["retribution", "gift"] * len(RETRIBUTIONS)
    first = start + timedelta(days=20)
    span = (w.now - timedelta(days=2) - first) / len(order)
    for i, what in enumerate(order):
        at = w.daytime(first + span * (i + w.rng.uniform(0.1, 0.9)), 8, 21)
        if what == "gift":
            minutes, message = next(gifts)
            w.plans.append(_Plan(at, partial(_pot_gift, w, minutes, message, at)))
            continue
        coordinator, member, minutes, reason = next(retributions)
        reason = reason.format(de_mois=_de_mois(w.local_day(at - timedelta(days=6))))
        w.plans.append(_Plan(at, partial(_retribute, w, w.user(coordinator), w.user(member),
                                         minutes, reason, at)))  # fmt: skip


def _pot_gift(w: _World, minutes: int, message: str, at: datetime):
    """Whoever has time to spare then gives it to the pot (in the first weeks, what they can)."""
    people, weights = [], []
    for user in w.users.values():
        spaces = w.spaces.get(user.id)
        balance = w.balance[w.accounts[user.id].id]
        if spaces and min(spaces.values()) < at and balance >= 60:
            people.append(user)
            weights.append(balance * (2 if user.id in w.featured else 1))
    if not people:
        return None
    giver = w.rng.choices(people, weights)[0]
    minutes = min(minutes, w.balance[w.accounts[giver.id].id] // 30 * 30)
    return _gift(w, giver, w.pot, minutes, message, at)


def _retribute(w: _World, coordinator: User, member: User, minutes: int, reason: str, at):
    """A coordinator of a space of the member pays them from the pot, logged with its reason."""
    shared = [
        s
        for s in w.spaces.get(member.id, {})
        if coordinator.is_admin or w.coordinates.get(coordinator.id, {}).get(s, at) < at
    ]
    if not shared or w.since(member) >= at:
        return None
    if w.balance[w.pot.id] - w.reserved < minutes:  # paid once the pot has it
        later = w.daytime(at + timedelta(days=3))
        if later < w.now - timedelta(days=1):
            return _Plan(later, partial(_retribute, w, coordinator, member, minutes, reason, later))
        return None
    space_id = min(shared)

    def log(transfer: Transfer) -> None:
        entry = audit.record(
            coordinator.id,
            "pot_retribution",
            reason=reason,
            space_id=space_id,
            subject_user_id=member.id,
            target_type="transfer",
            target_id=transfer.id,
            minutes=minutes,
        )
        entry.created_at = at

    payee = w.accounts[member.id]
    return _move(w, "retribution", w.pot, payee, minutes, reason, coordinator, at, then=log)


def _window(w: _World, *people: User, listing: Listing | None = None, days: float = 125):
    """From when these members were all there (and the listing published) until a few
    days ago, within the last `days` days."""
    begin = max([w.now - timedelta(days=days)] + [w.since(p) + timedelta(days=1) for p in people])
    end = w.now - SETTLED_BEFORE
    if listing is not None:
        listing_begin, listing_end = _listing_window(w, listing, w.now - timedelta(days=days))
        begin, end = max(begin, listing_begin), min(end, listing_end)
    return begin, end


def _plan_stories(w: _World) -> None:
    """The exchanges of the history that did not go as planned, and a few that shaped how
    listings look today."""
    _plan_answered(w)
    _plan_declined_and_cancelled(w)
    _plan_disputes(w)
    _plan_duplicate(w)
    _plan_expired(w)
    _plan_correction(w)


def _answer_listing(
    w: _World,
    title: str,
    name: str,
    at: datetime,
    message: str,
    *,
    answer: str = "",
    outcome: str = "confirmed",
    minutes: int | None = None,
    note: str = "",
    who_cancels: str = "initiator",
    text: str = "",
) -> _Plan:
    """A scripted exchange on a listing, proposed at `at`: confirmed (minutes, note),
    declined (text), or accepted then cancelled (text)."""
    listing, other = w.listings[title], w.user(name)
    author = listing.author
    provider, receiver = (author, other) if listing.kind == "offer" else (other, author)
    accepted = w.awake(at + timedelta(hours=w.rng.uniform(3, 20)))
    steps = [Step("proposed", other, at, listing.estimated_minutes, message)]
    if outcome == "declined":
        steps.append(Step("declined", author, accepted, None, text))
    else:
        steps.append(Step("accepted", author, accepted, None, answer))
    if outcome == "cancelled":
        canceller = other if who_cancels == "initiator" else author
        steps.append(Step("cancelled", canceller, accepted + timedelta(days=2), None, text))
    performed = None
    if outcome == "confirmed":
        performed = w.daytime(accepted + timedelta(days=w.rng.uniform(1, 4)))
        logged = w.awake(performed + timedelta(hours=w.rng.uniform(2, 8)))
        steps.append(Step("logged", provider, logged, minutes, note))
        steps.append(Step("confirmed", receiver, w.awake(logged + timedelta(hours=20)), minutes))

    def run():
        if outcome == "confirmed" and not _fits(
            w, w.accounts[receiver.id], w.accounts[provider.id], minutes
        ):
            return
        exchange = _write(
            w,
            provider=provider,
            receiver=receiver,
            initiator=other,
            title=listing.title,
            listing=listing,
            message=message,
            foreseen=listing.estimated_minutes,
            performed_on=w.local_day(performed) if performed else None,
            steps=steps,
        )
        if outcome == "confirmed":
            _settle(exchange, w, receiver, minutes, listing.title, steps[-1].at)

    return _Plan(steps[-1].at, run)


def _plan_answered(w: _World) -> None:
    """Two requests closed by their authors once someone had helped."""
    for title, name, message, answer, minutes, note in [
        ("Je cherche quelqu'un pour relire mon contrat d'édition", "Olivier Marchand",
         "Bonjour Louise, je relis régulièrement des contrats, y compris d'édition : cession de "
         "droits, durée, à-valoir… On le regarde ensemble ?",
         "Oh oui, merci Olivier ! L'éditeur attend ma réponse la semaine prochaine.", 90,
         "Trois clauses à renégocier, dont la durée de cession. Bon courage avec l'éditeur !"),
        ("Je cherche qui m'aide à préparer mon premier atelier sur les données",
         "Pierre-Yves Kerjean",
         "Bonjour Kevin, j'anime souvent des ateliers et je serais content de t'aider à "
         "construire le déroulé du tien : objectifs, timing, petits exercices.",
         "Merci ! Mardi soir au Quai ?", 90,
         "Déroulé en trois temps, avec un exercice sur de vraies données du Quai."),
    ]:  # fmt: skip
        listing = w.listings[title]
        begin, end = _window(w, w.user(name), listing=listing)
        end -= timedelta(days=3)  # done and confirmed before the author closed it
        if end > begin:
            at = w.daytime(begin + (end - begin) * w.rng.uniform(0, 0.3))
            w.plans.append(
                _answer_listing(w, title, name, at, message, answer=answer, minutes=minutes,
                                note=note)
            )  # fmt: skip


def _plan_declined_and_cancelled(w: _World) -> None:
    portfolio = "Je cherche un·e graphiste pour repenser mon portfolio"
    begin, end = _window(w, w.user("Louise Mercier"), w.user("Jérémie Bonnet"),
                         listing=w.listings[portfolio])  # fmt: skip
    if end - begin > timedelta(days=12):
        declined = w.daytime(begin + (end - begin) * 0.2)
        w.plans.append(_answer_listing(
            w, portfolio, "Louise Mercier", declined,
            "Bonjour Sarah, j'aime beaucoup tes photos culinaires : je peux te proposer une "
            "nouvelle mise en page de ton portfolio, en visio.",
            outcome="declined",
            text="Merci beaucoup Louise ! Jérémie m'a proposé la même chose à la coopérative et "
                 "on se voit demain : je garde ton nom pour ma prochaine plaquette.",
        ))  # fmt: skip
        w.plans.append(_answer_listing(
            w, portfolio, "Jérémie Bonnet", declined + timedelta(hours=2),
            "Salut Sarah, on en parlait à la réunion coopérative : je te propose de repenser ton "
            "portfolio autour de trois séries, avec une maquette imprimable.",
            answer="Avec plaisir, Jérémie ! Demain à l'atelier ?", minutes=150,
            note="Maquette en trois séries, prête pour l'impression.",
        ))  # fmt: skip

    bees = "Découvrir les abeilles : une visite des ruches"
    begin, end = _window(w, w.user("Thomas Lefebvre"), listing=w.listings[bees])
    if end > begin:
        w.plans.append(_answer_listing(
            w, bees, "Thomas Lefebvre", w.daytime(begin + (end - begin) * 0.5),
            "Bonjour Bertrand, je monte régulièrement à la ferme pour le wifi : je rêverais de "
            "voir les ruches la prochaine fois !",
            outcome="declined",
            text="Merci Thomas ! Les ruches sont fermées pour l'hiver, on ne les ouvre plus avant "
                 "le printemps : repropose-moi dès les premiers beaux jours.",
        ))  # fmt: skip

    meal = "Je cherche des mains pour cuisiner le grand repas du Repair Café"
    begin, end = _window(w, w.user("Marta Kowalska"), listing=w.listings[meal])
    if end > begin:
        w.plans.append(_answer_listing(
            w, meal, "Marta Kowalska", w.daytime(begin + (end - begin) * 0.3),
            "Bonjour Diego, je ne suis pas cheffe mais j'épluche vite : compte sur moi pour le "
            "repas !",
            outcome="cancelled", answer="Merci Marta ! Rendez-vous à 9 h à la cuisine de la "
                                        "Filature.",
            text="Je suis malade comme un chien depuis hier, je ne pourrai pas venir samedi. "
                 "Vraiment désolée, Diego !",
        ))  # fmt: skip

    truck = "Je cherche un camion pour récupérer un stock de tissus à Rezé"
    begin, end = _window(w, w.user("Diego Fernandes"), listing=w.listings[truck])
    if end > begin:
        w.plans.append(_answer_listing(
            w, truck, "Diego Fernandes", w.daytime(begin + (end - begin) * 0.4),
            "Bonjour Gaëlle, j'ai le camion de la cantine le mercredi : je peux t'emmener à Rezé "
            "récupérer les tissus.",
            outcome="cancelled", who_cancels="author",
            answer="Super, merci Diego ! Mercredi 10 h devant L'Écluse ?",
            text="L'association nous livre finalement le stock elle-même : plus besoin du "
                 "camion. Merci quand même, Diego !",
        ))  # fmt: skip


def _plan_disputes(w: _World) -> None:
    """A dispute a coordinator resolved by confirming fewer minutes than logged."""
    bike = w.listings["Réparation de vélos dans la cour, le vendredi midi"]
    karim, malik, thomas = bike.author, w.user("Malik Traoré"), w.user("Thomas Lefebvre")
    begin, end = _window(w, malik, listing=bike)
    if end - begin > timedelta(days=10):
        proposed = w.daytime(begin + (end - begin) * 0.3)
        accepted = proposed + timedelta(hours=5)
        logged = w.daytime(accepted + timedelta(days=3), 14, 18)
        disputed = logged + timedelta(hours=22)
        resolved = disputed + timedelta(days=2, hours=3)
        reason = (
            "Après en avoir parlé avec vous deux : 2 h, le temps de la réparation et des "
            "réglages. La discussion sur le référencement peut faire l'objet d'un échange à part."
        )
        steps = [
            Step("proposed", malik, proposed, 60,
                 "Salut Karim, ma roue arrière frotte et mes freins ne freinent plus beaucoup. "
                 "Vendredi midi ?"),
            Step("accepted", karim, accepted, None, "Oui, passe dans la cour vers 12 h 30."),
            Step("logged", karim, logged, 180, "Roue, freins, câbles : ton vélo est comme neuf !"),
            Step("disputed", malik, disputed, None,
                 "La réparation a pris 1 h 30 ; le reste du temps, on a parlé référencement "
                 "autour d'un café, ça ne compte pas comme de la mécanique."),
            Step("resolved", thomas, resolved, 120, reason),
        ]  # fmt: skip
        w.plans.append(_Plan(resolved, partial(_resolved, w, bike, karim, malik, steps, 120)))
        thanks = resolved + timedelta(days=1, hours=2)
        w.plans.append(_Plan(thanks, partial(
            _gift, w, karim, w.accounts[malik.id], 60,
            "Sans rancune pour le vélo : une heure pour le café et les conseils de "
            "référencement !", thanks)))  # fmt: skip


def _plan_duplicate(w: _World) -> None:
    """Time logged twice for the same help: the second log, disputed, is cancelled."""
    rachid, mamadou, justine = (
        w.user("Rachid Bouzid"), w.user("Mamadou Sow"), w.user("Justine Carré"))  # fmt: skip
    linux = Direct("Rachid Bouzid", "Mamadou Sow",
                   "Installation de Linux sur deux portables du Repair Café", 180)  # fmt: skip
    begin, end = _direct_window(w, rachid, mamadou, w.now - timedelta(days=HISTORY_DAYS))
    if end - begin > timedelta(days=30):
        performed = w.daytime(begin + (end - begin) * 0.45)
        logged = w.awake(performed + timedelta(hours=4))
        confirmed = w.awake(logged + timedelta(hours=26))
        w.plans.append(_Plan(confirmed, partial(_direct_exchange, w, linux, rachid, performed,
                                                logged, confirmed)))  # fmt: skip
        again = w.daytime(confirmed + timedelta(days=6))
        disputed = w.awake(again + timedelta(hours=20))
        resolved = disputed + timedelta(days=1, hours=4)
        reason = (
            f"Doublon de l'échange confirmé le {_le_jour(w.local_day(confirmed))} : annulé pour "
            "que ces 3 h ne comptent pas deux fois."
        )
        steps = [
            Step("logged", rachid, again, 180, ""),
            Step("disputed", mamadou, disputed, None,
                 "Ce temps est déjà déclaré et confirmé depuis la semaine dernière : c'est un "
                 "doublon."),
            Step("resolved", justine, resolved, None, reason),
        ]  # fmt: skip
        w.plans.append(
            _Plan(resolved, partial(_resolved, w, None, rachid, mamadou, steps, None, linux.title))
        )


def _resolved(w, listing, provider, receiver, steps, minutes, title=None):
    """A disputed exchange a coordinator resolved: settled with `minutes`, or cancelled."""
    if minutes and not _fits(w, w.accounts[receiver.id], w.accounts[provider.id], minutes):
        return
    first = steps[0]
    exchange = _write(
        w,
        provider=provider,
        receiver=receiver,
        initiator=first.actor,
        title=title or listing.title,
        listing=listing,
        message=first.text,
        foreseen=first.minutes if first.kind == "proposed" else None,
        performed_on=w.local_day(steps[-3].at),
        steps=steps,
    )
    resolution = steps[-1]
    if minutes:
        _settle(exchange, w, resolution.actor, minutes, resolution.text, resolution.at)
    coordinator = resolution.actor
    shared = sorted(
        set(w.coordinates.get(coordinator.id, {}))
        & (set(w.spaces[provider.id]) | set(w.spaces[receiver.id]))
    )

    def log() -> None:
        entry = audit.record(
            coordinator.id,
            "exchange_resolved",
            reason=resolution.text,
            space_id=shared[0] if shared else None,
            subject_user_id=provider.id,
            target_type="exchange",
            target_id=exchange.id,
            outcome="confirm" if minutes else "cancel",
            minutes=minutes,
            receiver_id=receiver.id,
            title=exchange.title,
        )
        entry.created_at = resolution.at

    w.afterwards.append(log)


def _plan_expired(w: _World) -> None:
    """Two logs nobody confirmed in time; one of them was made up for with a gift."""
    for provider, receiver, title, minutes, message, amends in [
        ("Gaëlle Le Gall", "Diego Fernandes", "Retouche des rideaux de la cantine", 90,
         "Rideaux raccourcis et ourlés, il ne reste qu'à les raccrocher !",
         "Pour la retouche des rideaux, que j'ai oublié de confirmer à temps : pardon, et "
         "merci !"),
        ("Élodie Perrin", "Rachid Bouzid", "Mise en page de la notice des ordinateurs de récup",
         60, "", ""),
    ]:  # fmt: skip
        giver, taker = w.user(provider), w.user(receiver)
        begin, end = _direct_window(w, giver, taker, w.now - timedelta(days=HISTORY_DAYS))
        end -= timedelta(days=w.log_days + 3)
        if end <= begin:
            continue
        logged = w.daytime(begin + (end - begin) * w.rng.uniform(0.3, 0.9))
        expired = w.daytime(logged + timedelta(days=w.log_days, hours=24), 3, 4)
        steps = [
            Step("logged", giver, logged, minutes, message),
            Step("expired", None, expired, minutes),
        ]

        def run(giver=giver, taker=taker, title=title, message=message, steps=steps):
            _write(
                w,
                provider=giver,
                receiver=taker,
                initiator=giver,
                title=title,
                message=message,
                performed_on=w.local_day(steps[0].at),
                steps=steps,
            )

        w.plans.append(_Plan(expired, run))
        if amends:
            at = expired + timedelta(days=1, hours=5)
            w.plans.append(_Plan(at, partial(_gift, w, taker, w.accounts[giver.id], 90, amends,
                                             at)))  # fmt: skip


def _plan_correction(w: _World) -> None:
    """A gift of 10 h typed instead of 1 h, reversed by the admin, then given again."""
    lyon = [w.user(name) for name in CORRECTED_GIVERS]
    begin = max([w.now - timedelta(days=HISTORY_DAYS)] + [w.since(u) for u in lyon])
    begin += timedelta(days=10)
    end = w.now - timedelta(days=10)
    if end <= begin:
        return
    at = w.daytime(begin + (end - begin) * 0.5, 9, 12)
    fixed_at, again_at = at + timedelta(hours=3), at + timedelta(hours=3, minutes=20)
    message = "Pour la caisse commune : merci pour l'accueil aux Ateliers."
    done: list = []  # the giver, the mistake, its correction

    def give_too_much():
        giver = next((u for u in lyon if _fits(w, w.accounts[u.id], w.pot, 600)), None)
        if giver is not None and (mistake := _gift(w, giver, w.pot, 600, message, at)):
            done.extend([giver, mistake])
            w.reserved = 600  # the pot cannot pay it out before it is given back

    def correct():
        w.reserved = 0
        if not done:
            return
        giver, mistake = done
        reason = (
            f"{giver.display_name.split()[0]} voulait donner 1 h et a saisi 10 h : mouvement "
            "annulé à sa demande, le bon don suit."
        )

        def log(correction: Transfer) -> None:
            entry = audit.record(
                w.admin.id,
                "transfer_corrected",
                reason=reason,
                subject_user_id=giver.id,
                target_type="transfer",
                target_id=mistake.transfer.id,
                correction_id=correction.id,
                minutes=600,
            )
            entry.created_at = fixed_at

        payee = w.accounts[giver.id]
        if _move(w, "correction", w.pot, payee, 600, reason, w.admin, fixed_at,
                 reverses=mistake, then=log):  # fmt: skip
            done.append("corrected")

    def give_again():
        if len(done) == 3:
            _gift(w, done[0], w.pot, 60, message + " (La bonne durée, cette fois !)", again_at)

    w.plans += [_Plan(at, give_too_much), _Plan(fixed_at, correct), _Plan(again_at, give_again)]


# ---------------------------------------------------------------------------- the last days


@dataclass
class _Recent:
    """What the last days need to know of the network, as plain values: the session is
    emptied before they are played."""

    rng: random.Random
    now: datetime
    zone: ZoneInfo
    log_days: int
    users: dict[str, int]  # display name -> id
    since: dict[int, datetime]  # user id -> active since
    listings: dict[str, tuple[int, int, str, datetime]]  # title -> id, author, kind, published

    @classmethod
    def of(cls, w: _World) -> _Recent:
        return cls(
            rng=w.rng,
            now=w.now,
            zone=w.zone,
            log_days=w.log_days,
            users={name: u.id for name, u in w.users.items()},
            since={uid: min(spaces.values()) for uid, spaces in w.spaces.items()},
            listings={
                t: (li.id, li.author_id, li.kind, li.created_at) for t, li in w.listings.items()
            },
        )

    def local_day(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()


def _recent_times(w: _Recent, days: tuple[float, ...], earliest: datetime) -> list[datetime]:
    """The moments of the steps, `days` ago, after `earliest`, in order, before now."""
    latest = w.now - timedelta(minutes=10)
    times, previous = [], earliest
    for ago in days:
        moment = w.now - timedelta(days=ago + w.rng.uniform(-0.05, 0.05))
        local, minute = moment.astimezone(w.zone), w.rng.randint(0, 59)
        if not 8 <= local.hour < 22:  # in the night: the evening before
            evening = local - timedelta(days=1 if local.hour < 8 else 0)
            moment = evening.replace(hour=21, minute=minute).astimezone(moment.tzinfo)
        moment = max(moment, previous + timedelta(minutes=20))
        times.append(moment)
        previous = moment
    if times[-1] > latest:  # too little room: spread them evenly
        gap = (latest - earliest) / (len(days) + 1)
        times = [earliest + gap * (i + 1) for i in range(len(days))]
    return times


def _at(w: _Recent, at: datetime, call: Callable[[], Exchange]) -> int:
    """Run a service call, then date what it wrote (the step, its notifications) at `at`.

    The service dates them now; everything dated before is history. The new dates ride with
    the next call's transaction (or the last commit of `add`)."""
    outbox.mute_until_commit()  # the services email the parties: the demo's addresses get nothing
    exchange = call()
    for event in exchange.events:
        if event.created_at >= w.now:
            event.created_at = at
    for note in db.session.scalars(select(Notification).where(Notification.created_at >= w.now)):
        note.created_at = at
    if len(exchange.events) == 1:
        exchange.created_at = at
    exchange.updated_at = at
    if exchange.state == "done" and exchange.events[-1].kind == "logged":
        exchange.logged_at = at
        exchange.expires_at = at + timedelta(days=w.log_days)
    return exchange.id


def _play(w: _Recent, story: Recent) -> None:
    """An exchange of the last days: its earlier steps written as they were, its last one
    (the one that leaves it waiting) played through the service, which tells who it waits on.
    Stories that end closed (declined, cancelled) are written whole."""
    listing_id, author_id, kind, published = w.listings[story.listing]
    initiator_id = w.users[story.initiator]
    earliest = max(published, w.since[initiator_id]) + timedelta(minutes=30)
    times = _recent_times(w, story.days, earliest)
    if not story.steps:
        call = partial(
            lifecycle.propose,
            initiator_id,
            listing_id,
            message=story.message,
            foreseen_minutes=story.foreseen,
        )
        _at(w, times[0], call)
        return
    people = {"initiator": initiator_id, "author": author_id}
    provider, receiver = (author_id, initiator_id) if kind == "offer" else (initiator_id, author_id)
    exchange = Exchange(
        listing_id=listing_id,
        provider_id=provider,
        receiver_id=receiver,
        initiator_id=initiator_id,
        state="proposed",
        title=story.listing,
        message=story.message,
        foreseen_minutes=story.foreseen,
        created_at=times[0],
        updated_at=times[0],
    )
    events = [
        ExchangeEvent(
            actor_id=initiator_id,
            kind="proposed",
            minutes=story.foreseen,
            message=story.message,
            created_at=times[0],
        )
    ]
    last = story.steps[-1]
    closed = last[0] in ("decline", "cancel")
    written = story.steps if closed else story.steps[:-1]
    for step, at in zip(written, times[1:], strict=False):
        verb = step[0]
        actor, text, minutes = author_id, step[-1], None
        if verb == "cancel":
            actor = people[step[1]]
        elif verb == "log":
            actor, minutes = people[step[1]], step[2]
            exchange.minutes, exchange.logged_by_id = minutes, actor
            exchange.logged_at, exchange.performed_on = at, w.local_day(at)
            exchange.expires_at = at + timedelta(days=w.log_days)
        kind_of = {"accept": "accepted", "decline": "declined", "cancel": "cancelled"}
        exchange.state = kind_of.get(verb, "done")
        events.append(
            ExchangeEvent(
                actor_id=actor,
                kind=kind_of.get(verb, "logged"),
                minutes=minutes,
                message=text,
                created_at=at,
            )
        )
        exchange.updated_at = at
    if closed:
        exchange.closed_at = exchange.updated_at
    exchange.events = events
    db.session.add(exchange)
    db.session.flush()
    if closed:
        return
    at, verb = times[len(story.steps)], last[0]
    if verb == "accept":
        call = partial(lifecycle.accept, author_id, exchange.id, last[1])
    elif verb == "log":
        call = partial(
            lifecycle.log_time,
            people[last[1]],
            exchange.id,
            minutes=last[2],
            performed_on=w.local_day(at),
            note=last[3],
            confirmed_large=True,  # the story's members confirmed what they typed
        )
    else:  # "dispute", by the party who did not log
        who = author_id if exchange.logged_by_id == initiator_id else initiator_id
        call = partial(disputes.dispute, who, exchange.id, last[1])
    _at(w, at, call)


def _play_log(w: _Recent, provider, receiver, days, title, minutes, message) -> None:
    giver, taker = w.users[provider], w.users[receiver]
    (at,) = _recent_times(w, (days,), max(w.since[giver], w.since[taker]))
    _at(
        w,
        at,
        partial(
            lifecycle.log_direct,
            giver,
            counterpart_id=taker,
            gave=True,
            minutes=minutes,
            title=title,
            performed_on=w.local_day(at - timedelta(days=1)),
            message=message,
            confirmed_large=True,
        ),
    )
