"""The demo network: six spaces, one admin, some forty members and their offers and requests
(`exchange.demo_listings`), for trying Archipel out.

Everything is built from the data below and a `random.Random(2026)`, so two seeds of empty
databases give the same network. Models are used directly: no service sends an email here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select

from exchange import demo_exchanges, demo_feedback
from exchange.config import DEMO_DOMAIN
from exchange.demo_listings import HIDDEN_REASON, LISTINGS, REPORT_REASON, REPORT_TEXT, REPORTER
from exchange.services.community import members, passwords
from exchange.services.listings import search
from exchange.services.listings.publishing import DEFAULT_DAYS, categories
from exchange.services.moderation import audit
from exchange.text import slugify
from models import Listing, Membership, Report, Space, User, db
from models.base import utcnow

DEMO_PASSWORD = "archipel-demo-2026"  # noqa: S105 - published on purpose, demo only
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
ADMIN_NAME = "Camille Roux (admin)"
ADMIN_BIO = (
    "Je coordonne le réseau Archipel depuis sa création, souvent entre deux trains. "
    "Mon rôle : ouvrir de nouveaux lieux, nommer les coordinateur·ices et veiller à ce que "
    "les règles restent celles que nous avons choisies ensemble. "
    "Écrivez-moi pour toute question sur le réseau."
)
ADMIN_SKILLS = ("facilitation", "gestion de projet", "gouvernance partagée")
SEED = 2026
PREMODERATED = {"coopsud"}  # spaces whose new listings wait for a coordinator's approval
LISTING_DAYS = 120  # the listings were published over the last four months

# key, name, city, join policy, description (markdown)
SPACES = [
    ("rhone", "Les Ateliers du Rhône", "Lyon", "open",
     "Coworking associatif de quarante postes dans le 7ᵉ arrondissement, à deux pas du "
     "métro Jean Macé.\n\nOn y croise surtout des indépendant·es du numérique, des graphistes "
     "et quelques artisans qui viennent pour la grande salle. Déjeuner partagé le jeudi, "
     "Care'n Share le lundi à 9 h 30.\n\n**Pour venir :** passez un mardi après-midi, la "
     "première journée est offerte. Les clés se transmettent après deux semaines de présence."),
    ("ecluse", "L'Écluse", "Nantes", "open",
     "Tiers-lieu installé dans un ancien entrepôt de l'île de Nantes, entre un atelier vélo "
     "et une cantine solidaire.\n\nCoworking à l'étage, **atelier bois** et **atelier "
     "couture** au rez-de-chaussée, ouverts à tous le samedi matin. Artisans, "
     "développeur·ses, associations de quartier : tout le monde mange à la même table.\n\n"
     "**Pour venir :** tram 1, arrêt Chantiers Navals, puis suivez l'odeur du café."),
    ("filature", "La Filature de Fives", "Lille", "open",
     "Une ancienne filature reconvertie en coworking, fablab et Repair Café.\n\nLe fablab "
     "(imprimantes 3D, découpe laser, électronique) est ouvert le mercredi soir ; le Repair "
     "Café se tient un samedi par mois. Beaucoup de membres travaillent dans la culture et "
     "l'éducation populaire.\n\n**Pour venir :** métro ligne 1, station Fives. Sonnez à "
     "l'accueil, quelqu'un vous fera visiter."),
    ("coopsud", "Coop'Sud Entreprendre", "Marseille", "approval",
     "Coopérative d'activités et d'entrepreneurs (CAE) : chacun·e développe sa propre "
     "activité en étant entrepreneur·e salarié·e, et la coopérative mutualise la "
     "comptabilité, l'assurance et l'accompagnement.\n\nUne soixantaine d'activités, du "
     "graphisme au conseil juridique en passant par la traduction et le son. Réunion "
     "coopérative le premier jeudi du mois.\n\n**Pour nous rejoindre :** venez à une réunion "
     "d'information (premier mercredi du mois), puis écrivez-nous ici ; l'adhésion passe par "
     "un entretien."),
    ("ferme", "La Ferme des Communs", "Dieulefit", "approval",
     "Tiers-lieu rural dans une ancienne ferme de la Drôme provençale : jardin partagé, "
     "atelier bois, salle de formation dans la grange rénovée et deux chambres de "
     "résidence.\n\nMaraîchers, artisans, formateur·ices et télétravailleur·ses s'y "
     "retrouvent. Chantier participatif un samedi par mois.\n\n**Pour venir :** gare de "
     "Montélimar puis bus 36, ou covoiturage depuis Crest. Les résidences étant limitées, "
     "présentez-vous en quelques lignes."),
    ("quai", "Le Quai des Possibles", "Rennes", "open",
     "Coworking au bord du canal d'Ille-et-Rance, avec un atelier d'autoréparation vélo "
     "ouvert le jeudi soir.\n\nUne communauté jeune, beaucoup de développeur·ses, de "
     "designers et de rédacteur·ices, et quelques artisans du textile. Les projets communs se "
     "décident en réunion mensuelle par consentement.\n\n**Pour venir :** bus C4, arrêt "
     "Plaisance. Première semaine gratuite pour voir si l'endroit vous va."),
]  # fmt: skip

# first name, last name, city, home space, languages, skills, bio (markdown, first person)
MEMBERS = [
    ("Yasmine", "Benali", "Lyon", "rhone", "français, arabe, anglais",
     ["graphisme", "identité visuelle", "illustration", "mise en page"],
     "Graphiste indépendante depuis six ans, je dessine surtout des identités visuelles pour "
     "des associations et des petites marques lyonnaises. J'aime quand un logo tient d'abord "
     "sur un coin de nappe avant de passer à l'écran. Je relis volontiers vos affiches ; en "
     "retour, un coup de main sur ma compta me sauverait la vie."),
    ("Thomas", "Lefebvre", "Villeurbanne", "rhone", "français, anglais",
     ["développement web", "Python", "accessibilité numérique"],
     "Je développe des applications web en Python pour des structures de l'économie sociale "
     "et solidaire. Je suis un peu obsessionnel sur l'**accessibilité** : un formulaire qui "
     "ne marche pas au clavier m'empêche de dormir. Au coworking, c'est souvent moi qu'on "
     "appelle quand le wifi fait des siennes."),
    ("Hélène", "Vidal", "Lyon", "rhone", "français, espagnol",
     ["comptabilité", "gestion administrative", "fiscalité des indépendants"],
     "Après quinze ans en cabinet d'expertise comptable, je suis passée en freelance pour "
     "accompagner les indépendant·es et les petites coopératives. TVA, URSSAF, bilan de fin "
     "d'année : j'explique sans jargon et sans jugement. Mon petit plaisir, ce sont les "
     "tableurs bien rangés."),
    ("Karim", "Haddad", "Lyon", "rhone", "français, arabe",
     ["réparation vélo", "mécanique", "logistique"],
     "Coursier à vélo dans une coopérative lyonnaise, je suis aussi mécano à mes heures "
     "perdues. Si votre dérailleur grince ou si vous voulez apprendre à réparer une "
     "crevaison, passez me voir dans la cour le vendredi midi. De mon côté, je cherche "
     "quelqu'un pour m'aider à monter le site de notre coop."),
    ("Manon", "Leroy", "Lyon", "rhone", "français, anglais, italien",
     ["traduction anglais-français", "traduction italien-français", "relecture", "rédaction"],
     "Traductrice de l'anglais et de l'italien vers le français, je travaille surtout sur des "
     "rapports d'ONG et des sites de festivals. J'ai vécu quatre ans à Bologne, d'où ma "
     "passion pour les pâtes fraîches et les subjonctifs. Je relis aussi vos textes en "
     "français avant publication."),
    ("Samuel", "Cohen", "Lyon", "rhone", "français, anglais, hébreu",
     ["photographie", "montage vidéo", "communication"],
     "Photographe et vidéaste, je fais beaucoup de portraits d'entrepreneur·es et de "
     "captations d'événements. J'ai un petit studio mobile que je peux installer au coworking "
     "le temps d'une matinée. J'aimerais progresser en écriture : mes légendes sont moins "
     "inspirées que mes images !"),
    ("Anaïs", "Guérin", "Villeurbanne", "rhone", "français, anglais",
     ["facilitation", "gestion de projet", "animation d'ateliers", "gouvernance partagée"],
     "Je suis facilitatrice : j'aide les collectifs à prendre des décisions sans y passer "
     "trois soirées. Forum ouvert, décision par consentement, rétrospectives… j'adapte "
     "l'outil au groupe, pas l'inverse. Je cherche des occasions de pratiquer avec de "
     "nouveaux collectifs, en échange de temps."),
    ("Malik", "Traoré", "Lyon", "rhone", "français, anglais, bambara",
     ["SEO", "rédaction web", "marketing numérique"],
     "Consultant SEO, j'aide les petits sites à être trouvés sans acheter de publicité. Je "
     "crois beaucoup à un contenu écrit pour des humains plutôt que pour des robots. Je donne "
     "aussi un atelier mensuel « Google n'est pas magique » au coworking."),
    ("Gaëlle", "Le Gall", "Rezé", "ecluse", "français, breton",
     ["couture", "upcycling", "animation d'ateliers"],
     "Couturière et costumière, je transforme des vêtements fatigués en pièces qu'on a envie "
     "de porter. J'anime des ateliers pour débutant·es à L'Écluse le samedi matin. Apportez "
     "votre ourlet, on le fait ensemble."),
    ("Baptiste", "Morel", "Nantes", "ecluse", "français",
     ["menuiserie", "réparation de meubles", "agencement"],
     "Menuisier, j'ai quitté l'agencement de magasins pour fabriquer des meubles en bois de "
     "récupération. L'atelier bois de L'Écluse est un peu mon deuxième salon. Je peux vous "
     "apprendre à affûter un ciseau ou vous aider à réparer une chaise bancale."),
    ("Lan", "Nguyen", "Nantes", "ecluse", "français, vietnamien, anglais",
     ["UX design", "recherche utilisateur", "graphisme", "facilitation"],
     "Designer UX, je conçois des parcours en ligne pour des services publics et des "
     "mutuelles. Avant de dessiner quoi que ce soit, je vais parler aux gens qui utiliseront "
     "l'outil. Je cherche à échanger avec des développeur·ses pour mieux comprendre leurs "
     "contraintes."),
    ("Olivier", "Marchand", "Nantes", "ecluse", "français",
     ["droit des associations", "rédaction de statuts", "gouvernance partagée"],
     "Juriste de formation, j'accompagne les associations et les SCIC sur leurs statuts, "
     "leur gouvernance et leurs petits tracas administratifs. J'ai présidé une association de "
     "quartier pendant huit ans, je connais donc l'envers du décor. Une question sur une "
     "assemblée générale ? Écrivez-moi."),
    ("Fatou", "Ndiaye", "Saint-Herblain", "ecluse", "français, wolof, anglais",
     ["communication", "relations presse", "réseaux sociaux"],
     "Chargée de communication en freelance, je m'occupe des réseaux sociaux et des "
     "relations presse de plusieurs compagnies de théâtre. J'aime trouver l'angle qui donne "
     "envie à un journaliste de se déplacer. Je suis aussi bénévole dans une radio "
     "associative nantaise."),
    ("Théo", "Girard", "Nantes", "ecluse", "français, anglais",
     ["développement web", "JavaScript", "hébergement web"],
     "Développeur JavaScript, je fais surtout du front-end et un peu d'hébergement pour de "
     "petites structures. J'essaie de construire des sites sobres, qui se chargent vite même "
     "avec une mauvaise connexion. Je donne un coup de main avec plaisir, surtout pour un "
     "projet associatif."),
    ("Louise", "Mercier", "Nantes", "ecluse", "français",
     ["illustration", "graphisme", "bande dessinée"],
     "Illustratrice, je dessine pour l'édition jeunesse et pour des supports pédagogiques. Je "
     "travaille à l'aquarelle puis je retouche sur tablette. Je cherche quelqu'un pour "
     "m'aider à comprendre mes droits d'autrice et à relire un contrat d'édition."),
    ("Diego", "Fernandes", "Nantes", "ecluse", "français, espagnol, portugais",
     ["organisation d'événements", "cuisine", "logistique", "gestion de projet"],
     "Je coordonne des événements culturels, surtout des fêtes de quartier, et je cuisine "
     "pour de grandes tablées. Logistique, planning des bénévoles, buvette : je sais faire "
     "tenir beaucoup de choses dans un camion. On me trouve souvent derrière les fourneaux de "
     "la cantine le vendredi."),
    ("Mathilde", "Garnier", "Lille", "filature", "français, anglais",
     ["rédaction", "dossiers de subvention", "gestion de projet"],
     "J'écris des dossiers de subvention et des rapports d'activité pour des associations "
     "culturelles. Je sais transformer trois pages de notes en un projet qu'un financeur "
     "comprend du premier coup. Je peux relire le vôtre ou vous aider à bâtir un budget "
     "prévisionnel."),
    ("Mamadou", "Sow", "Roubaix", "filature", "français, peul",
     ["électricité", "réparation électroménager", "bricolage"],
     "Électricien de métier, je me suis mis à réparer l'électroménager pour lutter contre le "
     "tout-jetable. Je tiens le Repair Café de La Filature un samedi par mois. Si votre "
     "grille-pain ne chauffe plus, ne le jetez pas avant de m'en parler."),
    ("Chloé", "Lambert", "Lille", "filature", "français, anglais, LSF",
     ["montage vidéo", "motion design", "sous-titrage"],
     "Monteuse, je travaille sur des documentaires courts et des vidéos d'associations. Je "
     "fais aussi du motion design et du sous-titrage, pour que les vidéos soient accessibles "
     "aux personnes sourdes et malentendantes. J'aimerais apprendre à mieux gérer ma "
     "facturation."),
    ("Rachid", "Bouzid", "Tourcoing", "filature", "français, arabe",
     ["réparation d'ordinateurs", "Linux", "informatique"],
     "Technicien informatique, je redonne vie aux vieux ordinateurs en y installant Linux, "
     "puis je les confie à des familles et à des associations du quartier. Je peux vous aider "
     "à sauvegarder vos données ou à comprendre pourquoi votre portable rame autant."),
    ("Marta", "Kowalska", "Lille", "filature", "français, polonais, anglais",
     ["traduction polonais-français", "traduction anglais-français", "cours de langue"],
     "Polonaise installée à Lille depuis dix ans, je traduis du polonais et de l'anglais vers "
     "le français, surtout des textes techniques et juridiques. Je donne aussi des cours de "
     "polonais à des adultes. J'échangerais volontiers des heures de conversation contre un "
     "coup de main sur mon site."),
    ("Antoine", "Dubois", "Lille", "filature", "français, anglais",
     ["impression 3D", "électronique", "Arduino", "découpe laser"],
     "Je m'occupe du fablab de La Filature : impression 3D, découpe laser et un peu "
     "d'électronique. J'adore accompagner quelqu'un qui arrive avec une idée griffonnée et "
     "repart avec un prototype. Le mercredi soir, l'atelier est ouvert à tous."),
    ("Justine", "Carré", "Lille", "filature", "français",
     ["coaching", "communication non violente", "facilitation"],
     "Coach formée à la communication non violente, j'accompagne les équipes qui traversent "
     "des tensions. J'anime aussi des cercles de parole entre indépendant·es, parce que "
     "travailler seul·e pèse parfois. Je propose volontiers une première séance en échange "
     "de temps."),
    ("Inès", "Moreau", "Marseille", "coopsud", "français, anglais",
     ["comptabilité", "gestion de trésorerie", "tableurs"],
     "Entrepreneure salariée de la CAE, je tiens la comptabilité de petites entreprises et "
     "d'artisans. Je suis très à l'aise avec les tableurs, beaucoup moins avec les réseaux "
     "sociaux. Si vous m'aidez à rendre ma page plus vivante, je vous explique votre bilan en "
     "échange."),
    ("Youssef", "El Amrani", "Marseille", "coopsud", "français, arabe, anglais",
     ["développement web", "WordPress", "SEO"],
     "Je crée des sites WordPress pour des commerçants et des artisans marseillais. J'aime "
     "que mes clients puissent mettre leur site à jour eux-mêmes sans m'appeler à chaque "
     "fois. Je peux aussi jeter un œil à votre référencement."),
    ("Sarah", "Lévy", "Marseille", "coopsud", "français, anglais",
     ["photographie", "retouche photo", "stylisme culinaire"],
     "Photographe, je travaille surtout la photo culinaire et le portrait en lumière "
     "naturelle. Je suis entrée dans la CAE il y a deux ans pour ne plus faire seule ma "
     "paperasse. Je cherche un·e graphiste pour repenser mon portfolio."),
    ("Nadia", "Cherif", "Aubagne", "coopsud", "français, arabe",
     ["formation", "prise de parole en public", "gestion de projet", "animation d'ateliers"],
     "Formatrice pour adultes, je conçois des parcours sur la gestion de projet et la prise "
     "de parole en public. J'ai enseigné dix ans en lycée professionnel avant de rejoindre la "
     "coopérative. Je suis toujours partante pour co-animer un atelier."),
    ("Jérémie", "Bonnet", "Marseille", "coopsud", "français",
     ["sérigraphie", "graphisme", "impression"],
     "Sérigraphe, j'imprime des affiches et des t-shirts à la main dans un petit atelier de "
     "la Belle de Mai. Je fais aussi le graphisme quand les gens arrivent sans visuel. En une "
     "demi-journée, je peux vous montrer les bases du métier."),
    ("Sofia", "Costa", "Marseille", "coopsud", "français, portugais, anglais",
     ["traduction portugais-français", "interprétariat", "rédaction"],
     "Interprète et traductrice portugais-français, j'accompagne aussi des familles "
     "lusophones dans leurs démarches administratives. Née à Porto, j'ai grandi à Marseille "
     "entre deux langues et deux cuisines. J'ai besoin d'aide pour mettre en place un outil "
     "de facturation simple."),
    ("Ibrahim", "Keïta", "Marseille", "coopsud", "français, anglais, malinké",
     ["prise de son", "montage audio", "podcast"],
     "Ingénieur du son, je produis des podcasts pour des associations et des collectivités. "
     "Je peux aussi vous apprendre à enregistrer correctement avec un simple téléphone. Le "
     "mardi, je squatte la petite salle insonorisée de la coopérative."),
    ("Amandine", "Roche", "Marseille", "coopsud", "français, italien",
     ["droit du travail", "ressources humaines", "médiation"],
     "Juriste en droit du travail, je conseille les petites structures qui embauchent pour la "
     "première fois. Je suis aussi médiatrice quand une relation de travail se tend. Je "
     "préfère les questions concrètes aux grands principes."),
    ("Bertrand", "Chauvin", "Dieulefit", "ferme", "français",
     ["jardinage", "permaculture", "apiculture"],
     "Maraîcher reconverti après vingt ans dans l'industrie, je m'occupe du jardin de La "
     "Ferme des Communs. Je partage ce que j'apprends en permaculture et je garde deux ruches "
     "au fond du terrain. On a toujours besoin de bras pour le paillage au printemps."),
    ("Salomé", "Giraud", "Crest", "ferme", "français, anglais",
     ["cuisine", "conserves et lacto-fermentation", "jardinage", "animation d'ateliers"],
     "Je cuisine les légumes du jardin pour les résidences et les formations de la ferme. "
     "L'été, j'anime des ateliers conserves et lacto-fermentation. Je cherche quelqu'un pour "
     "m'aider à écrire et mettre en page un petit livret de recettes."),
    ("Aurélien", "Masson", "Die", "ferme", "français, allemand",
     ["menuiserie", "construction bois", "éco-construction"],
     "Charpentier, je construis en bois et en paille, de préférence en chantier "
     "participatif. J'ai aidé à rénover la grange de la ferme, qui accueille maintenant la "
     "salle de formation. Je peux vous conseiller sur un projet d'isolation ou une petite "
     "construction."),
    ("Élodie", "Perrin", "Nyons", "ferme", "français, anglais",
     ["communication", "rédaction", "mise en page", "gestion de projet"],
     "Je m'occupe de la communication de plusieurs lieux culturels de la Drôme provençale, "
     "presque entièrement à distance. Vivre à la campagne ne veut pas dire travailler seule : "
     "je viens à la ferme deux jours par semaine. J'écris, je mets en page et je coordonne "
     "quand il le faut."),
    ("Pierre-Yves", "Kerjean", "Rennes", "quai", "français, anglais",
     ["gestion de projet", "gouvernance partagée", "facilitation"],
     "Chef de projet pendant quinze ans dans une grande entreprise, je me consacre maintenant "
     "aux projets coopératifs. J'aide les collectifs à structurer leurs idées : qui fait "
     "quoi, pour quand, avec quel budget."),
    ("Maëlle", "Rousseau", "Rennes", "quai", "français, anglais",
     ["webdesign", "développement web", "graphisme", "illustration"],
     "Webdesigneuse et développeuse web, je dessine puis je code des sites pour des artisans "
     "et des producteurs locaux. "
     "J'aime les couleurs franches et les interfaces lisibles par ma grand-mère. Je cherche "
     "des retours de vrais utilisateurs sur mes maquettes."),
    ("Kevin", "Tran", "Rennes", "quai", "français, anglais, vietnamien",
     ["Python", "analyse de données", "développement web", "tableurs"],
     "Développeur Python et passionné de données, je construis des tableaux de bord pour des "
     "associations qui veulent comprendre leur impact. Je peux vous aider à nettoyer un "
     "fichier Excel qui a beaucoup vécu. Arrivé au Quai il y a peu, j'ai envie de rencontrer "
     "du monde."),
    ("Zoé", "Bertin", "Rennes", "quai", "français",
     ["couture", "réparation textile", "tricot"],
     "Je répare et je transforme des vêtements, avec un faible pour le tricot. Je tiens un "
     "stand de réparation textile au marché des Lices un samedi sur deux. Je vous apprends "
     "volontiers à repriser une chaussette : ça prend vingt minutes, promis."),
    ("Yann", "Le Bihan", "Rennes", "quai", "français, breton",
     ["réparation vélo", "soudure", "menuiserie"],
     "Mécanicien vélo et soudeur à l'occasion, je fabrique des remorques et des vélos cargos "
     "sur mesure. L'atelier du Quai est ouvert le jeudi soir pour l'autoréparation. Je "
     "cherche de l'aide pour rédiger la documentation de mes plans, publiés en licence "
     "libre."),
    ("Léa", "Fontaine", "Cesson-Sévigné", "quai", "français, anglais",
     ["rédaction web", "SEO", "communication"],
     "Rédactrice web, j'écris des articles et des pages de sites pour des entreprises du "
     "numérique et quelques associations. Je connais bien le SEO, mais je préfère un texte "
     "qui se lit avec plaisir. Je peux vous aider à écrire votre page « À propos », celle "
     "qu'on repousse toujours."),
    ("Julien", "Faure", "Rennes", "quai", "français",
     ["comptabilité", "droit des associations", "gestion administrative"],
     "Trésorier de plusieurs associations, j'ai fini par en faire mon métier : je tiens leur "
     "comptabilité et je les aide à suivre leurs obligations légales. Je prends le temps "
     "d'expliquer, c'est tout l'intérêt. Le mercredi, je suis au Quai toute la journée."),
]  # fmt: skip

CONTACTS = [
    "Au coworking le mardi et le jeudi · Signal sur demande",
    "Plutôt par message ici, je réponds le soir",
    "Sur place le lundi matin pour le Care'n Share · téléphone sur demande",
    "Au lieu les mercredis, sinon message via Archipel",
    "En visio le vendredi · Matrix sur demande",
    "À l'atelier presque tous les jours, venez me voir",
    "Par message, réponse sous 48 h",
    "Les après-midis au lieu · e-mail sur demande",
    "Sur place un jour sur deux · Signal après un premier échange",
    "Le matin de préférence, en visio ou autour d'un café",
    "Au lieu le jeudi · je ne lis mes messages qu'en fin de journée",
]

# A few members ask to join a space that approves its members: (space key, message).
PENDING_REQUESTS = [
    ("ferme", "Bonjour ! Je m'installe près de Dieulefit au printemps et j'aimerais "
     "participer aux chantiers du samedi."),
    ("coopsud", "J'ai suivi la réunion d'information en visio : je voudrais héberger mon "
     "activité dans la coopérative."),
    ("ferme", "Je passe souvent dans la Drôme pour le travail ; j'aimerais proposer un "
     "atelier dans la salle de formation."),
    ("coopsud", "Une amie de la CAE m'a parlé de vous, je cherche un cadre coopératif pour "
     "lancer mon activité."),
]  # fmt: skip


def demo_email(first: str, last: str) -> str:
    """The demo address of a member: prenom.nom@archipel.test, lower-case ASCII."""
    return f"{slugify(first)}.{slugify(last)}@{DEMO_DOMAIN}"


def seed() -> None:
    """Build the demo network in the current app context and commit; no-op if already there."""
    if db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is not None:
        return
    rng = random.Random(SEED)
    now = utcnow()
    password_hash = passwords.hash_password(DEMO_PASSWORD)  # argon2 is slow: hash once
    all_skill_names = [*ADMIN_SKILLS, *(name for m in MEMBERS for name in m[5])]
    skills = {s.slug: s for s in members.skills_by_name(all_skill_names)}

    def make_user(email, name, city, languages, skill_names, bio, days_ago) -> User:
        created = now - timedelta(
            days=days_ago, hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
        )
        user = User(
            email=email,
            display_name=name,
            password_hash=password_hash,
            created_at=created,
            email_confirmed_at=created + timedelta(minutes=rng.randint(2, 90)),
            locale="fr",
            bio=bio,
            city=city,
            languages=languages,
            contact=rng.choice(CONTACTS),
        )
        user.skills = [skills[slugify(n)] for n in skill_names]
        members.refresh_search_text(user)
        db.session.add(user)
        return user

    admin = make_user(
        ADMIN_EMAIL, ADMIN_NAME, "Lyon", "français, anglais", ADMIN_SKILLS, ADMIN_BIO, 250
    )
    admin.is_admin = True

    db.session.flush()  # the admin's id, for the spaces they create

    spaces: dict[str, Space] = {}
    for i, (key, name, city, policy, description) in enumerate(SPACES):
        spaces[key] = Space(
            name=name,
            city=city,
            join_policy=policy,
            description=description,
            created_at=admin.created_at + timedelta(days=2 + 3 * i, hours=rng.randint(1, 8)),
            created_by_id=admin.id,
            premoderation=key in PREMODERATED,
        )
        db.session.add(spaces[key])

    # (user, home space key); members joined over the last ~8 months.
    people: list[tuple[User, str]] = []
    for first, last, city, home, languages, skill_names, bio in MEMBERS:
        user = make_user(
            demo_email(first, last),
            f"{first} {last}",
            city,
            languages,
            skill_names,
            bio,
            rng.randint(4, 230),
        )
        people.append((user, home))

    def join(user: User, space: Space, status: str = "active", message: str = "") -> Membership:
        asked = max(user.email_confirmed_at, space.created_at) + timedelta(hours=rng.randint(1, 72))
        membership = Membership(
            user=user,
            space=space,
            status=status,
            role="member",
            message=message,
            requested_at=asked,
        )
        if status == "active" and space.needs_approval:  # approved by the admin
            membership.decided_at = min(asked + timedelta(hours=rng.randint(2, 48)), now)
            membership.decided_by = admin
        elif status == "active":
            membership.decided_at = asked
        db.session.add(membership)
        return membership

    joined: dict[int, list[Membership]] = {}  # by position in `people`
    for i, (user, home) in enumerate(people):
        joined[i] = [join(user, spaces[home])]
        if rng.random() < 0.3:
            other = rng.choice([k for k in spaces if k != home])
            joined[i].append(join(user, spaces[other]))

    # The earliest members of each space coordinate it.
    appointed: list[Membership] = []
    for key in spaces:
        locals_ = sorted(
            (joined[i][0] for i, (_, home) in enumerate(people) if home == key),
            key=lambda m: m.requested_at,
        )
        for membership in locals_[: rng.randint(1, 2)]:
            membership.role = "coordinator"
            membership.decided_by = admin
            appointed.append(membership)

    # Pending requests from members who belong to a single space, not the one they ask.
    candidates = [i for i in joined if len(joined[i]) == 1 and joined[i][0].role == "member"]
    rng.shuffle(candidates)
    for key, message in PENDING_REQUESTS:
        i = next(i for i in candidates if joined[i][0].space is not spaces[key])
        candidates.remove(i)
        join(people[i][0], spaces[key], status="pending", message=message)

    db.session.flush()
    for space in spaces.values():
        entry = audit.record(
            admin.id, "space_created", space_id=space.id, target_type="space", target_id=space.id
        )
        entry.created_at = space.created_at
    for membership in appointed:
        entry = audit.record(
            admin.id,
            "coordinator_named",
            space_id=membership.space_id,
            subject_user_id=membership.user_id,
            target_type="membership",
            target_id=membership.id,
        )
        membership.decided_at = entry.created_at = min(
            membership.requested_at + timedelta(days=rng.randint(1, 10)), now
        )
    _add_listings(rng, now, admin, spaces, people, joined, appointed)
    db.session.commit()
    demo_exchanges.add(random.Random(SEED), now, admin, spaces)
    demo_feedback.add(random.Random(SEED), now)


def _add_listings(
    rng: random.Random,
    now: datetime,
    admin: User,
    spaces: dict[str, Space],
    people: list[tuple[User, str]],
    joined: dict[int, list[Membership]],
    appointed: list[Membership],
) -> None:
    """The offers and requests of `demo_listings`, each published by its author in a space
    they belong to, dated over the last LISTING_DAYS days and left in its state."""
    users = {user.display_name: user for user, _ in people}
    home = {user.display_name: key for user, key in people}
    key_of = {id(space): key for key, space in spaces.items()}
    # (member's name, space key) -> when they asked to join it, for each active membership.
    since = {
        (user.display_name, key_of[id(m.space)]): m.requested_at
        for i, (user, _) in enumerate(people)
        for m in joined[i]
    }
    coordinators: dict[str, list[User]] = {}
    for membership in appointed:
        coordinators.setdefault(key_of[id(membership.space)], []).append(membership.user)
    category = {c.slug: c for c in categories()}
    skills = {s.slug: s for s in members.skills_by_name([t for p in LISTINGS for t in p.tags])}

    for pad in LISTINGS:
        author = users[pad.author]
        key = pad.space if (pad.author, pad.space) in since else home[pad.author]
        joined_at = since[(pad.author, key)]
        oldest = max(now - timedelta(days=LISTING_DAYS), joined_at + timedelta(days=1))
        newest = now - timedelta(hours=2)
        if pad.state == "expired":  # published more than DEFAULT_DAYS ago, never renewed
            newest = now - timedelta(days=DEFAULT_DAYS + 3)
        elif pad.state == "pending":  # submitted in the last days, not yet approved
            oldest = max(oldest, now - timedelta(days=5))
        created = oldest + (newest - oldest) * rng.random()
        updated, expires = created, created + timedelta(days=DEFAULT_DAYS)
        if pad.state != "expired" and expires < now + timedelta(days=5):
            updated = created + timedelta(days=rng.uniform(75, 85))  # the author renewed it
            expires = updated + timedelta(days=DEFAULT_DAYS)
        if pad.state in ("paused", "closed"):
            updated += (now - updated) * rng.uniform(0.3, 0.9)
        listing = Listing(
            author=author,
            space=spaces[key],
            category=category.get(pad.category),
            kind=pad.kind,
            title=pad.title,
            summary=pad.summary,
            details=pad.details,
            next_steps=pad.next_steps,
            mode=pad.mode,
            estimated_minutes=pad.minutes,
            status=pad.state if pad.state in ("paused", "closed") else "active",
            moderation=pad.state if pad.state in ("pending", "hidden") else "approved",
            created_at=created,
            updated_at=updated,
            expires_at=expires,
        )
        listing.skills = [skills[slugify(t)] for t in pad.tags]
        db.session.add(listing)
        search.index_listing(listing)  # flushes: the listing has its id from here on
        if pad.state == "hidden":
            listing.moderation_reason = HIDDEN_REASON
            coordinator = next((u for u in coordinators.get(key, []) if u is not author), admin)
            entry = audit.record(
                coordinator.id,
                "listing_hidden",
                reason=HIDDEN_REASON,
                space_id=listing.space_id,
                subject_user_id=author.id,
                target_type="listing",
                target_id=listing.id,
                title=listing.title,
                reports=[],
            )
            entry.created_at = min(created + timedelta(hours=rng.randint(3, 40)), now)
        elif pad.state == "reported":
            report = Report(
                reporter_id=users[REPORTER].id,
                listing_id=listing.id,
                reason=REPORT_REASON,
                text=REPORT_TEXT,
                created_at=min(created + timedelta(days=rng.uniform(1, 6)), now),
            )
            db.session.add(report)


def print_logins(echo: Callable[[str], object]) -> None:
    """Print the demo log-ins (admin, a coordinator per space, two members) and the password."""
    admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    if admin is None:
        echo(f"This database holds no demo network (no {ADMIN_EMAIL} account).")
        return
    demo_user = User.email.endswith(f"@{DEMO_DOMAIN}", autoescape=True)
    rows = [("admin", admin.email, "network admin")]
    for space in db.session.scalars(select(Space).order_by(Space.name)):
        coordinator = db.session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                demo_user,
                Membership.space_id == space.id,
                Membership.status == "active",
                Membership.role == "coordinator",
            )
            .order_by(User.id)
            .limit(1)
        )
        if coordinator is not None:
            rows.append(("coordinator", coordinator.email, f"{space.name} ({space.city})"))
    coordinators = select(Membership.user_id).where(Membership.role == "coordinator")
    active = select(Membership.user_id).where(Membership.status == "active")
    plain = db.session.scalars(
        select(User)
        .where(
            demo_user,
            User.is_admin.is_(False),
            User.id.in_(active),
            User.id.not_in(coordinators),
        )
        .order_by(User.id)
        .limit(2)
    )
    rows += [("member", user.email, user.display_name) for user in plain]
    width = max(len(email) for _, email, _ in rows)
    echo(f"Demo log-ins (every account's password: {DEMO_PASSWORD})")
    for role, email, note in rows:
        echo(f"  {role:<12} {email:<{width}}  {note}")
