"""The demo network's offers and requests, written in the network's "pad standard".

Each listing has a title; a summary of at most three short lines (the essential); details in
markdown (the context, what is expected); next steps; two to five tags, the author's own skills
where they fit; a category, a mode and, most of the time, an estimated duration. `exchange.demo`
turns them into rows, dates them over the last four months and gives them their state.
"""

from __future__ import annotations

from typing import NamedTuple


class Pad(NamedTuple):
    """One demo listing. `space` is a space key of `exchange.demo.SPACES` ("" = the author's
    home space); `state` is "" (active and approved), "paused", "closed", "expired",
    "pending" (waits for a coordinator), "hidden" (by a coordinator, HIDDEN_REASON) or
    "reported" (an open report by REPORTER, REPORT_TEXT)."""

    author: str  # display name of a demo member
    kind: str  # offer | request
    category: str  # slug of a category of migration 0002
    mode: str  # remote | on_site | both
    minutes: int | None
    title: str
    summary: str
    details: str
    next_steps: str
    tags: tuple[str, ...]
    space: str = ""
    state: str = ""


# A coordinator of the space hid this listing (state "hidden"), and said why.
HIDDEN_REASON = (
    "Cette annonce propose une prestation vendue 250 €, payée hors d'Archipel : le réseau "
    "plafonne les participations aux frais à 50 € et les fait passer par l'échange. Malik, tu "
    "peux la republier en temps (ou avec une petite participation) : on en parle au Care'n "
    "Share de lundi si tu veux."
)

# A member of the same space flagged this listing (state "reported"); nobody has answered yet.
REPORTER = "Lan Nguyen"
REPORT_REASON = "misleading"
REPORT_TEXT = (
    "Le titre promet un site « en une après-midi », mais le détail parle de trois séances. "
    "Une association qui débute risque de s'attendre à tout autre chose : peut-être reformuler "
    "le titre ?"
)

LISTINGS = [
    # ------------------------------------------------ Les Ateliers du Rhône (Lyon)
    Pad("Hélène Vidal", "offer", "comptabilite-gestion", "both", 120,
        "Première déclaration de TVA : on la remplit ensemble",
        "Je peux vous aider sur votre première déclaration de TVA, ou le passage au réel.\n"
        "On s'assoit côte à côte avec vos factures : vous repartez en sachant la refaire.",
        "Beaucoup d'indépendant·es découvrent la TVA le jour où ils dépassent le seuil de la "
        "franchise, souvent en plein rush de fin d'année.\n\n"
        "Ce qu'on fait pendant la séance :\n\n"
        "- vérifier votre régime et vos échéances ;\n"
        "- remplir la déclaration sur impots.gouv, ligne par ligne ;\n"
        "- ranger vos factures pour que la prochaine prenne vingt minutes.\n\n"
        "Apportez les factures de vente et d'achat du trimestre, papier ou tableur, peu importe.",
        "Un café au coworking mardi matin pour regarder vos papiers, puis on cale la séance.",
        ("comptabilité", "fiscalité des indépendants", "TVA")),
    Pad("Hélène Vidal", "offer", "comptabilite-gestion", "remote", 60,
        "Comptabilité de micro-entreprise : un tableur de suivi qui tient la route",
        "Je vous partage mon modèle de tableur recettes-dépenses pour micro-entrepreneur·es.\n"
        "Une heure en visio pour l'adapter à votre activité et à vos déclarations URSSAF.",
        "Le livre des recettes est obligatoire, mais personne ne vous dit à quoi il doit "
        "ressembler. Mon modèle calcule vos cotisations trimestrielles et vous prévient quand "
        "vous approchez des seuils.\n\n"
        "Il marche sous LibreOffice comme sous Excel. Je ne touche pas à vos chiffres : vous "
        "gardez la main, je vous montre.",
        "Écrivez-moi ici avec votre type d'activité (vente, service, libéral) ; je vous envoie "
        "le modèle avant la visio.",
        ("comptabilité", "tableurs", "gestion administrative")),
    Pad("Hélène Vidal", "request", "design", "both", 120,
        "Je cherche une graphiste pour rendre mes fiches pratiques lisibles",
        "Je cherche quelqu'un pour mettre en forme mes fiches « TVA », « URSSAF » et « frais "
        "de repas ».\n"
        "Le fond est solide, la forme fait fuir : trop de texte, pas une image.",
        "Je distribue ces fiches aux indépendant·es que j'accompagne, et je vois bien qu'on "
        "les range sans les lire. J'aimerais une mise en page aérée, des pictos, peut-être un "
        "petit schéma par fiche.\n\n"
        "Ce sont cinq fiches recto, en A4. En échange, je vous offre une séance de compta (ou "
        "deux).",
        "Un déjeuner partagé le jeudi au coworking, j'apporte les fiches imprimées.",
        ("mise en page", "graphisme", "comptabilité")),
    Pad("Yasmine Benali", "request", "comptabilite-gestion", "on_site", 120,
        "Je cherche quelqu'un pour démêler ma compta de graphiste",
        "Je cherche une personne patiente pour trier avec moi six mois de factures et de "
        "notes de frais.\n"
        "En échange : une affiche, un logo retouché ou des heures de mise en page.",
        "Je viens d'arriver aux Ateliers et j'avoue : ma comptabilité vit dans une boîte à "
        "chaussures et trois dossiers « À TRIER ». Je suis en micro-entreprise, je déclare au "
        "mois, et je ne sais jamais ce que je peux compter en frais.\n\n"
        "J'aimerais surtout une méthode simple, que je tiens seule ensuite : pas qu'on fasse à "
        "ma place.",
        "Je suis au coworking tous les jours cette semaine : un déjeuner jeudi pour en parler ?",
        ("comptabilité", "gestion administrative", "micro-entreprise")),
    Pad("Thomas Lefebvre", "offer", "numerique", "both", 120,
        "Audit d'accessibilité express de votre site",
        "Je peux passer votre site au clavier, au lecteur d'écran et au contraste, page par "
        "page.\n"
        "Vous repartez avec les cinq corrections qui changent le plus la vie des gens.",
        "Un site associatif sur deux ne se remplit pas au clavier, souvent à cause d'un seul "
        "composant mal choisi. Pas besoin d'un audit RGAA complet pour commencer : on prend vos "
        "trois pages les plus visitées et on regarde ensemble.\n\n"
        "Je teste avec NVDA et VoiceOver, et je vous montre comment refaire les tests "
        "vous-même. Si votre site tourne sous WordPress, je vous dis aussi quelles extensions "
        "éviter.",
        "Envoyez-moi l'adresse du site ; on se cale deux heures, au coworking ou en visio.",
        ("accessibilité numérique", "développement web", "RGAA")),
    Pad("Thomas Lefebvre", "offer", "numerique", "on_site", 180,
        "Remettre d'aplomb le wifi et le partage de fichiers de la ferme",
        "Je passe une journée à la ferme le mois prochain : je peux m'occuper du réseau de la "
        "grange.\n"
        "Wifi qui décroche, imprimante fantôme, dossier partagé introuvable : on règle ça.",
        "Quand je télétravaille depuis Dieulefit, je vois bien que le wifi de la salle de "
        "formation tombe dès qu'on est plus de dix. Je propose de regarder la box et "
        "l'emplacement du répéteur, puis de tout noter sur une page que chacun·e peut "
        "relire.\n\n"
        "Il me faudra l'accès à la box et quelqu'un qui sait où passent les câbles "
        "(Aurélien ?).",
        "On fixe la date au chantier du samedi ; je viens avec mes câbles et du café lyonnais.",
        ("informatique", "réseau", "wifi"),
        space="ferme"),
    Pad("Karim Haddad", "offer", "bricolage", "on_site", 60,
        "Réparation de vélos dans la cour, le vendredi midi",
        "Je peux réparer votre vélo ou, mieux, vous apprendre à le faire : crevaison, freins, "
        "dérailleur.\n"
        "Le vendredi de 12 h à 14 h dans la cour des Ateliers, avec mes outils.",
        "Je suis coursier à vélo, donc je répare le mien presque tous les jours. La plupart des "
        "pannes se règlent en vingt minutes quand on sait où regarder :\n\n"
        "- crevaison et changement de chambre à air ;\n"
        "- réglage des freins et du dérailleur ;\n"
        "- chaîne qui saute, roue voilée (un peu).\n\n"
        "Pour les pièces, on passe ensemble à l'atelier coopératif de la Guillotière : je ne "
        "vends rien.",
        "Passez vendredi midi avec votre vélo, pas besoin de prévenir. Si c'est plus gros, "
        "écrivez-moi ici.",
        ("réparation vélo", "mécanique", "vélo")),
    Pad("Karim Haddad", "request", "numerique", "both", 240,
        "Je cherche de l'aide pour monter le site de notre coopérative de coursiers",
        "Je cherche une développeuse ou un développeur web pour poser un site simple pour "
        "notre coop.\n"
        "Trois pages, un formulaire de demande de course, et qu'on puisse le modifier nous-mêmes.",
        "On est six coursier·es à vélo en SCOP depuis l'an dernier, et nos clients nous "
        "trouvent encore par le bouche-à-oreille. On voudrait une page qui explique nos tarifs, "
        "notre zone (Lyon et Villeurbanne) et un formulaire qui nous envoie un mail.\n\n"
        "On a déjà le nom de domaine et un logo. Pas besoin de quelque chose de compliqué : "
        "surtout de quelque chose qu'on comprend.",
        "Un appel de 20 min pour cadrer, puis on se voit un vendredi midi pendant que je "
        "répare des vélos.",
        ("développement web", "site vitrine", "coopérative")),
    Pad("Manon Leroy", "offer", "langues", "remote", 120,
        "Traduction anglais-français de vos textes courts",
        "Traductrice professionnelle, je peux traduire de l'anglais ou de l'italien vers le "
        "français.\n"
        "Pages de site, appel à projets, lettre de partenaire : jusqu'à 1 500 mots par échange.",
        "Je traduis surtout pour des ONG et des festivals : des textes militants, culturels, "
        "parfois très techniques. Je préfère les textes qui seront vraiment publiés : vous "
        "m'expliquez à qui ils s'adressent, et je cherche le ton juste plutôt que le mot à "
        "mot.\n\n"
        "Pour un texte plus long, on le découpe en plusieurs échanges ou on parle d'une petite "
        "participation aux frais.",
        "Envoyez-moi le texte et la date de publication ; je vous dis sous 48 h si c'est "
        "faisable.",
        ("traduction anglais-français", "traduction italien-français", "relecture")),
    Pad("Manon Leroy", "offer", "communication", "remote", 60,
        "Relecture de vos textes avant publication",
        "Je peux relire vos textes en français : coquilles, accords, phrases trop longues.\n"
        "Je corrige en suivi de modifications et j'explique mes choix, sans réécrire votre "
        "style.",
        "Une plaquette imprimée à 500 exemplaires avec une faute dans le titre, ça arrive plus "
        "souvent qu'on ne croit. Je relis les textes courts, jusqu'à dix pages : dossiers, "
        "lettres d'information, pages de site.\n\n"
        "Si vous utilisez l'écriture inclusive, je vérifie aussi qu'elle reste cohérente et "
        "lisible d'un bout à l'autre.",
        "Déposez votre fichier ici ou dans mon casier au coworking ; retour sous trois jours.",
        ("relecture", "rédaction", "écriture inclusive")),
    Pad("Samuel Cohen", "offer", "image-son", "on_site", 90,
        "Portraits pro dans le studio mobile du coworking",
        "Je peux faire votre portrait pour votre site ou votre profil, en lumière douce.\n"
        "J'installe le studio mobile une matinée par mois, vingt minutes par personne.",
        "Un bon portrait, c'est surtout quelqu'un à l'aise devant l'objectif. On discute cinq "
        "minutes, je vous montre les images au fur et à mesure et vous choisissez vos trois "
        "préférées.\n\n"
        "*En pause jusqu'à la fin du mois : je suis en tournage à Marseille. Je rouvre les "
        "créneaux à mon retour.*",
        "Inscrivez-vous sur la feuille de l'accueil pour la prochaine matinée studio.",
        ("photographie", "portrait", "communication"),
        state="paused"),
    Pad("Samuel Cohen", "request", "communication", "both", 90,
        "Je cherche une plume pour m'aider à écrire mes légendes photo",
        "Je cherche quelqu'un qui aime écrire pour m'apprendre à légender mes reportages.\n"
        "En échange, je fais votre portrait ou je filme votre prochain atelier.",
        "Mes images tiennent la route, mes légendes beaucoup moins : « Atelier couture, samedi "
        "matin »… On m'a dit qu'au Quai, plusieurs personnes écrivent très bien.\n\n"
        "J'aimerais une séance de travail sur une de mes séries (un reportage dans un Repair "
        "Café), pour trouver une méthode que je pourrai réutiliser seul.",
        "Un café au Quai un jeudi, avec mon ordinateur et la série en question.",
        ("rédaction", "photographie", "légendes"),
        space="quai"),
    Pad("Anaïs Guérin", "offer", "formation", "on_site", 180,
        "Faciliter la réunion de votre collectif qui coince",
        "Je peux préparer et animer la réunion où une décision traîne depuis des mois.\n"
        "Décision par consentement ou forum ouvert, selon ce que le groupe peut porter.",
        "Vous connaissez la réunion où l'on rediscute pour la quatrième fois du même sujet ? "
        "Souvent, ce n'est pas le sujet qui bloque, c'est la façon de décider.\n\n"
        "Je prends une heure avec une ou deux personnes du collectif pour préparer, puis "
        "j'anime (deux heures au plus). Je ne donne pas mon avis sur le fond, promis.\n\n"
        "Je cherche justement à pratiquer avec des collectifs que je ne connais pas.",
        "Un appel de 20 min pour cadrer avec la personne qui porte la réunion.",
        ("facilitation", "animation d'ateliers", "gouvernance partagée")),
    Pad("Anaïs Guérin", "request", "design", "on_site", 360,
        "Je cherche quelqu'un qui dessine pour une facilitation graphique",
        "Je cherche une personne à l'aise avec le dessin pour croquer en direct une journée "
        "de forum ouvert.\n"
        "Un samedi du mois prochain, à la Maison des associations de Villeurbanne.",
        "Un collectif d'habitant·es m'a demandé d'animer sa journée de réflexion sur un jardin "
        "partagé. Une fresque dessinée en direct aiderait beaucoup les personnes qui lisent "
        "mal le français à suivre les échanges.\n\n"
        "Pas besoin d'être professionnel·le : il faut surtout aimer écouter et dessiner vite. "
        "Je fournis le papier kraft et les feutres.",
        "Écrivez-moi ici, on regarde ensemble le déroulé de la journée.",
        ("illustration", "facilitation graphique", "animation d'ateliers")),
    Pad("Malik Traoré", "offer", "numerique", "remote", 90,
        "Pack référencement : 5 articles optimisés pour 250 €",
        "Je rédige cinq articles optimisés pour Google sur votre thématique, livrés en deux "
        "semaines.\n"
        "Tarif spécial membres : 250 € au lieu de 400 €, paiement à la commande.",
        "Le référencement naturel prend du temps, alors autant partir avec de bons contenus. "
        "Chaque article fait 800 mots, avec mots-clés, balises et liens internes.\n\n"
        "Paiement par virement à la commande, facture fournie.",
        "Envoyez-moi vos coordonnées, je vous fais parvenir le devis.",
        ("SEO", "rédaction web", "marketing numérique"),
        state="hidden"),
    Pad("Malik Traoré", "offer", "numerique", "both", 60,
        "Google n'est pas magique : une heure pour comprendre votre référencement",
        "Je peux regarder avec vous comment les gens trouvent (ou pas) votre site.\n"
        "On repart avec trois actions concrètes, sans acheter la moindre publicité.",
        "C'est le format de mon atelier mensuel, en tête-à-tête. On ouvre votre Search Console "
        "(je vous aide à l'installer si besoin), on regarde les recherches qui vous amènent du "
        "monde et celles qui devraient.\n\n"
        "Souvent, le plus gros gain vient d'un titre de page mieux écrit ou d'une fiche "
        "d'établissement à jour.",
        "Venez à l'atelier du premier mardi du mois, ou proposez-moi un créneau ici.",
        ("SEO", "rédaction web", "marketing numérique")),
    # ------------------------------------------------ L'Écluse (Nantes)
    Pad("Baptiste Morel", "offer", "bricolage", "on_site", 180,
        "Initiation à la menuiserie à l'atelier bois",
        "Je peux vous apprendre les gestes de base de la menuiserie : mesurer, scier droit, "
        "assembler.\n"
        "Un samedi matin à l'atelier bois ; vous repartez avec un tabouret en chêne de récup.",
        "L'atelier bois de L'Écluse est ouvert à tous le samedi matin, mais beaucoup n'osent "
        "pas toucher aux outils. Je propose une initiation à trois personnes au plus :\n\n"
        "- lire un plan et prendre des cotes ;\n"
        "- scie à main, ciseau à bois, affûtage ;\n"
        "- un assemblage à tenon et mortaise.\n\n"
        "Chaussures fermées obligatoires, le reste est fourni.",
        "Inscrivez-vous ici ou sur le tableau de l'atelier ; je confirme le jeudi.",
        ("menuiserie", "agencement", "atelier bois")),
    Pad("Baptiste Morel", "offer", "bricolage", "on_site", 180,
        "Chaises bancales et tiroirs qui coincent : réparation de meubles au Repair Café",
        "Je monte à Lille pour le prochain Repair Café et je peux tenir la table « meubles ».\n"
        "Recollage, tiroirs, pieds qui branlent : apportez le meuble, ou une photo avant.",
        "Mamadou m'a proposé de venir renforcer le Repair Café de La Filature. On ne fait pas "
        "de miracle sur l'aggloméré gonflé, mais une chaise en bois massif se répare presque "
        "toujours.\n\n"
        "Je viens avec serre-joints, colle à bois et chevilles. Si votre meuble est trop gros "
        "pour le métro, envoyez-moi une photo : je vous dirai si ça vaut le déplacement.",
        "Rendez-vous au Repair Café du samedi, de 10 h à 13 h. Une photo ici avant, si "
        "possible.",
        ("réparation de meubles", "menuiserie", "Repair Café"),
        space="filature"),
    Pad("Gaëlle Le Gall", "offer", "bricolage", "on_site", 120,
        "Ourlets, fermetures éclair et reprises à l'atelier couture",
        "Je peux vous apprendre à faire vous-même vos petites retouches à la machine.\n"
        "Le samedi matin à l'atelier couture : vous apportez le vêtement, on le répare ensemble.",
        "Un ourlet, c'est vingt minutes quand on l'a fait une fois. Une fermeture éclair, un "
        "peu plus, mais c'est le geste qui fait le plus plaisir à maîtriser.\n\n"
        "*L'atelier couture est fermé pendant les travaux du rez-de-chaussée : je remets "
        "l'annonce en ligne dès qu'on récupère la salle.*",
        "Suivez l'annonce : je la réactive dès la réouverture de l'atelier.",
        ("couture", "upcycling", "réparation textile"),
        state="paused"),
    Pad("Gaëlle Le Gall", "request", "logistique", "on_site", 180,
        "Je cherche un camion pour récupérer un stock de tissus à Rezé",
        "Je cherche quelqu'un avec un utilitaire pour aller chercher une quinzaine de cartons "
        "de tissus.\n"
        "Un atelier de confection ferme et nous donne son stock : dommage de le rater.",
        "Le stock doit partir avant la fin du mois. Ce sont des cartons légers mais "
        "volumineux, à charger au rez-de-chaussée et à décharger à l'atelier couture.\n\n"
        "Les tissus serviront aux ateliers upcycling du samedi et à la ressourcerie du "
        "quartier. Je paie l'essence, évidemment, et le goûter.",
        "Écrivez-moi avec vos disponibilités ; une demi-journée suffit.",
        ("logistique", "transport", "upcycling")),
    Pad("Lan Nguyen", "offer", "design", "both", 120,
        "Tester votre service avec de vrais usagers, sans budget",
        "Je peux vous aider à préparer et mener cinq entretiens d'usagers pour votre projet.\n"
        "On écrit le guide ensemble, vous menez les entretiens, on en tire l'essentiel.",
        "Avant de refaire un site ou un formulaire, parler à cinq personnes qui l'utilisent "
        "vraiment évite des mois de travail inutile. C'est le cœur de mon métier de designer "
        "UX, et c'est plus simple qu'on ne croit.\n\n"
        "Je vous montre comment recruter sans budget, quoi demander et surtout quoi ne pas "
        "demander. À la fin, un atelier d'une heure pour trier ce qu'on a appris.",
        "Un appel de 20 min pour comprendre votre projet et qui sont vos usagers.",
        ("UX design", "recherche utilisateur", "facilitation")),
    Pad("Lan Nguyen", "request", "numerique", "both", 90,
        "Je cherche un·e développeur·se pour démonter mes maquettes",
        "Je cherche une personne qui développe des sites ou des applications, pour une "
        "discussion franche.\n"
        "Je veux comprendre ce qui rend une maquette pénible à intégrer.",
        "Je dessine des parcours pour des services publics, et je connais mal l'autre côté : "
        "les composants, l'accessibilité dans le code, ce qui coûte cher et ce qui ne coûte "
        "rien.\n\n"
        "Je vous propose de regarder ensemble une de mes maquettes Figma et de la démonter sans "
        "pitié. En échange, je relis l'ergonomie d'un de vos projets.",
        "Un déjeuner à la cantine du rez-de-chaussée, c'est moi qui invite.",
        ("UX design", "développement web", "Figma")),
    Pad("Olivier Marchand", "offer", "juridique", "both", 90,
        "Préparer l'assemblée générale de votre association",
        "Je peux relire votre convocation, votre ordre du jour et vos projets de résolutions.\n"
        "Pour une AG sans surprise, conforme à vos statuts, et pas trop longue.",
        "Chaque printemps, c'est la même course : convocation envoyée trop tard, quorum "
        "oublié, procès-verbal écrit de mémoire. J'ai présidé une association de quartier "
        "pendant huit ans, je connais les pièges.\n\n"
        "On relit vos statuts ensemble, on fixe le calendrier à rebours et je vous laisse un "
        "modèle de procès-verbal.",
        "Envoyez-moi vos statuts ; on se voit une heure et demie à L'Écluse ou en visio.",
        ("droit des associations", "gouvernance partagée", "assemblée générale"),
        state="expired"),
    Pad("Olivier Marchand", "offer", "juridique", "both", 120,
        "Rédiger ou toiletter les statuts de votre association ou de votre SCIC",
        "Je peux vous aider à écrire des statuts qui ressemblent à votre façon de décider.\n"
        "Collégiale, par consentement, avec des collèges : on choisit ensemble ce qui tient.",
        "Beaucoup d'associations copient des statuts types, puis découvrent qu'ils imposent un "
        "président, un bureau et des votes à la majorité qu'elles ne pratiquent pas. Des "
        "statuts peuvent décrire une gouvernance partagée : il faut juste les écrire avec "
        "soin.\n\n"
        "Je ne remplace pas un avocat pour les cas complexes, mais je vous fais gagner beaucoup "
        "de temps avant de le voir.",
        "Un appel de 20 min pour cadrer, puis deux séances de travail sur un document partagé.",
        ("rédaction de statuts", "droit des associations", "gouvernance partagée")),
    Pad("Fatou Ndiaye", "offer", "communication", "remote", 90,
        "Relations presse : trouver l'angle qui fait venir une journaliste",
        "Je peux vous aider à écrire un communiqué que la presse locale a envie de lire.\n"
        "Et à savoir à qui l'envoyer, quand, et comment relancer sans agacer.",
        "Un communiqué qui commence par « L'association X a le plaisir de vous annoncer » finit "
        "rarement dans le journal. Ce qui intéresse, c'est une histoire, une personne, un "
        "chiffre surprenant. Ensemble :\n\n"
        "- on cherche l'angle ;\n"
        "- on écrit le communiqué, une page au plus ;\n"
        "- on construit une petite liste de contacts dans la presse locale.",
        "Envoyez-moi ce que vous voulez annoncer et la date ; puis une visio d'une heure et "
        "demie.",
        ("relations presse", "communication", "rédaction")),
    Pad("Fatou Ndiaye", "request", "image-son", "on_site", 180,
        "Je cherche un·e photographe pour la générale d'une compagnie de théâtre",
        "Je cherche une personne qui photographie le spectacle vivant, pour la générale à "
        "Saint-Herblain.\n"
        "La compagnie a besoin de photos pour la presse ; elle offre des places pour la tournée.",
        "C'est une jeune compagnie jeune public que j'accompagne en relations presse. Les "
        "journalistes demandent des photos avant même d'avoir vu la pièce, et nous n'avons que "
        "des images de répétition floues.\n\n"
        "La générale dure une heure. Il faut être à l'aise en faible lumière, et discret·e "
        "pendant le jeu. Les photos seront créditées partout.",
        "Écrivez-moi ici ; je vous envoie le dossier du spectacle et le plan de la salle.",
        ("photographie", "spectacle vivant", "relations presse")),
    Pad("Théo Girard", "offer", "numerique", "both", 180,
        "Votre site associatif en une après-midi",
        "Je peux monter un site simple et rapide pour votre association, sans WordPress.\n"
        "Des pages statiques, un hébergement sobre et gratuit, que vous modifiez vous-mêmes.",
        "Pour la plupart des associations, trois ou quatre pages suffisent : qui on est, ce "
        "qu'on fait, comment nous joindre, l'agenda. Je les monte avec un générateur de site "
        "statique, hébergé gratuitement, qui se charge même en 3G.\n\n"
        "En pratique, on se voit trois fois : une séance pour les contenus, une pour la mise en "
        "ligne, une pour vous apprendre à modifier les pages.",
        "Un appel de 20 min pour cadrer, puis un samedi à L'Écluse.",
        ("développement web", "JavaScript", "hébergement web"),
        state="reported"),
    Pad("Louise Mercier", "request", "juridique", "both", 90,
        "Je cherche quelqu'un pour relire mon contrat d'édition",
        "Je cherche une personne qui connaît le droit d'auteur pour relire un contrat "
        "d'édition jeunesse.\n"
        "Je dois le signer avant la fin du mois et certaines clauses m'inquiètent.",
        "C'est mon premier contrat avec une maison d'édition nationale. Les clauses sur la "
        "cession des droits numériques et sur l'à-valoir me semblent floues, et je n'ose pas "
        "négocier.\n\n"
        "**Mise à jour :** Olivier m'a orientée vers la charte des auteurs et illustrateurs, "
        "et une juriste de Coop'Sud a relu le contrat avec moi. Merci à vous, je ferme "
        "l'annonce !",
        "Un rendez-vous d'une heure, à L'Écluse ou en visio.",
        ("droit d'auteur", "illustration", "contrat d'édition"),
        state="closed"),
    Pad("Louise Mercier", "offer", "design", "both", 120,
        "Illustrer votre support pédagogique ou votre affiche",
        "Je peux dessiner une ou deux illustrations pour un livret, une affiche ou un jeu "
        "éducatif.\n"
        "Aquarelle retouchée sur tablette, dans un style chaleureux et lisible par les enfants.",
        "Je dessine surtout pour l'édition jeunesse et pour des supports pédagogiques. J'aime "
        "les projets où l'image doit expliquer quelque chose : un geste de tri, le cycle de "
        "l'eau, un plan de quartier.\n\n"
        "On commence par des croquis au crayon que je vous montre avant de passer à la "
        "couleur. Les fichiers sont livrés en haute définition, prêts pour l'impression.",
        "Envoyez-moi votre texte ou votre brief, même griffonné ; je réponds sous une semaine.",
        ("illustration", "bande dessinée", "graphisme")),
    Pad("Diego Fernandes", "offer", "logistique", "on_site", None,
        "Camion, bénévoles et buvette : je vous aide à organiser votre fête",
        "Je peux vous aider à organiser un événement de quartier : logistique, bénévoles, "
        "buvette.\n"
        "Et prêter le camion de L'Écluse, avec moi au volant.",
        "J'organise des fêtes de quartier depuis dix ans, j'ai fait toutes les erreurs "
        "possibles. Ce que je vous propose :\n\n"
        "- un rétroplanning réaliste ;\n"
        "- un planning des bénévoles qui tient sur une page ;\n"
        "- la liste de ce qu'on oublie toujours (rallonges, sacs poubelle, monnaie) ;\n"
        "- le camion le jour J, pour le matériel.\n\n"
        "Pour le barbecue, on en parle aussi.",
        "Un café à la cantine un vendredi midi, avec la date et le lieu de votre événement.",
        ("organisation d'événements", "logistique", "gestion de projet")),
    Pad("Diego Fernandes", "request", "jardin-alimentation", "on_site", 180,
        "Je cherche des mains pour cuisiner le grand repas du Repair Café",
        "Je cherche deux ou trois personnes pour cuisiner avec moi un repas pour 80 personnes "
        "à Lille.\n"
        "Légumes à éplucher, grandes marmites et bonne humeur garantie.",
        "Pour les trois ans du Repair Café de La Filature, on sert un repas partagé à prix "
        "libre. Je m'occupe du menu (un mafé végétarien et un crumble), des courses et des "
        "marmites.\n\n"
        "J'ai besoin d'aide le samedi de 9 h à midi pour préparer, puis au service. Aucune "
        "compétence requise, juste l'envie.",
        "Écrivez-moi ici, que je prévoie assez d'économes !",
        ("cuisine", "organisation d'événements", "bénévolat"),
        space="filature"),
    # ------------------------------------------------ La Filature de Fives (Lille)
    Pad("Mamadou Sow", "offer", "bricolage", "on_site", 120,
        "Grille-pain, aspirateur, lampe : on répare ensemble votre petit électroménager",
        "Je peux diagnostiquer et réparer votre petit électroménager au Repair Café.\n"
        "Vous tenez le tournevis, je vous explique ce qu'on fait et pourquoi.",
        "La moitié des appareils qu'on jette ont une panne bête : un fusible thermique, un fil "
        "coupé, un interrupteur encrassé. Je suis électricien, et je vérifie toujours la "
        "sécurité avant de rebrancher quoi que ce soit.\n\n"
        "Je ne fais ni les micro-ondes (le condensateur est dangereux) ni les écrans. Pour le "
        "reste, on tente !",
        "Venez au Repair Café, un samedi par mois de 10 h à 13 h, avec l'appareil et son "
        "câble.",
        ("réparation électroménager", "électricité", "Repair Café")),
    Pad("Mamadou Sow", "offer", "bricolage", "both", 60,
        "Comprendre son tableau électrique avant de bricoler",
        "Je peux vous expliquer votre tableau électrique : disjoncteurs, différentiel, ce "
        "qu'on peut toucher.\n"
        "Une heure chez vous ou à La Filature, pour bricoler sans se faire peur.",
        "Changer un luminaire ou une prise, beaucoup le font sans couper le bon circuit. Je "
        "vous montre comment repérer les circuits, étiqueter le tableau et vérifier l'absence "
        "de tension avec un simple testeur.\n\n"
        "Je ne fais pas de travaux d'installation dans ce cadre : c'est de la transmission, pas "
        "un chantier.",
        "Écrivez-moi ici ; je me déplace dans la métropole lilloise le samedi après-midi.",
        ("électricité", "bricolage", "sécurité")),
    Pad("Mathilde Garnier", "offer", "comptabilite-gestion", "both", 120,
        "Bâtir le budget prévisionnel de votre projet culturel",
        "Je peux vous aider à construire un budget prévisionnel qu'un financeur comprend du "
        "premier coup.\n"
        "Charges, ressources, valorisation du bénévolat : on remplit le tableau ensemble.",
        "Le budget, c'est souvent la partie du dossier qu'on remplit à la dernière minute, et "
        "celle que les financeurs lisent en premier. Je vous montre comment l'équilibrer "
        "honnêtement, valoriser le bénévolat et les mises à disposition, et rester cohérent "
        "avec le récit du projet.\n\n"
        "Je pars du modèle du Cerfa des associations, mais on peut aussi partir de votre "
        "tableur.",
        "Un appel de 20 min pour cadrer, puis une séance de deux heures à La Filature.",
        ("dossiers de subvention", "gestion de projet", "budget prévisionnel")),
    Pad("Mathilde Garnier", "request", "soin", "on_site", 45,
        "Je cherche quelqu'un pour une pause étirements au bureau",
        "Je cherche une personne qui pratique le yoga ou la gym douce pour guider 30 min le "
        "jeudi midi.\n"
        "Nous sommes cinq à La Filature, le dos en vrac après les dossiers de subvention.",
        "Entre deux échéances de financement, on passe des journées entières penché·es sur nos "
        "écrans. Une petite séance d'étirements dans la salle du fond, une fois par semaine, "
        "nous ferait un bien fou.\n\n"
        "Pas besoin d'être prof diplômé·e : quelqu'un qui pratique et sait guider des "
        "débutant·es suffit. On apporte les tapis.",
        "Passez nous voir le jeudi midi à la cuisine de La Filature, ou écrivez-moi ici.",
        ("yoga", "bien-être au travail", "étirements"),
        state="expired"),
    Pad("Chloé Lambert", "offer", "image-son", "remote", 120,
        "Sous-titrer vos vidéos pour les rendre accessibles",
        "Je peux sous-titrer une vidéo courte de votre association, ou vous apprendre à le "
        "faire.\n"
        "Pour que les personnes sourdes et malentendantes suivent (et celles qui coupent le son).",
        "Plus de la moitié des vidéos sur les réseaux sont regardées sans le son. De bons "
        "sous-titres, ce n'est pas la transcription automatique : c'est un découpage lisible, "
        "le nom de qui parle, les sons qui comptent.\n\n"
        "Pour une vidéo de moins de cinq minutes, je m'en occupe. Au-delà, je vous montre "
        "Subtitle Edit, un logiciel libre, et on fait la première minute ensemble.",
        "Envoyez-moi le lien de la vidéo ; je vous dis en retour combien de temps il faut.",
        ("sous-titrage", "montage vidéo", "accessibilité numérique")),
    Pad("Chloé Lambert", "request", "comptabilite-gestion", "both", 90,
        "Je cherche de l'aide pour mettre de l'ordre dans ma facturation",
        "Je cherche une personne à l'aise en comptabilité pour organiser mes devis et mes "
        "factures.\n"
        "Je veux arrêter de relancer mes clients trois mois plus tard, par oubli.",
        "Je suis monteuse indépendante, avec une dizaine de clients par an, surtout des "
        "associations. Mes devis sont dans un dossier, mes factures dans un autre, et je ne "
        "sais jamais vraiment qui m'a payée.\n\n"
        "Je cherche un outil simple (un tableur me va très bien) et une méthode pour suivre les "
        "paiements. En échange, je monte ou je sous-titre une de vos vidéos.",
        "Un café à La Filature un mercredi, avant l'ouverture du fablab.",
        ("comptabilité", "facturation", "tableurs")),
    Pad("Rachid Bouzid", "offer", "numerique", "on_site", 120,
        "Redonner vie à un vieil ordinateur avec Linux",
        "Je peux installer Linux sur votre ordinateur qui rame, et vous apprendre à vous en "
        "servir.\n"
        "Vos données sont sauvegardées avant, et on vérifie ensemble que tout marche.",
        "Un ordinateur de dix ans tourne très bien avec une distribution légère comme Linux "
        "Mint. Pour la plupart des usages (mails, navigateur, traitement de texte, visio), on "
        "ne voit pas la différence.\n\n"
        "*En pause : j'ai une vingtaine de machines à préparer pour des familles du quartier "
        "avant la rentrée. Je reprends les rendez-vous juste après.*",
        "Laissez-moi un message ici, je vous recontacte à la reprise.",
        ("Linux", "réparation d'ordinateurs", "informatique"),
        state="paused"),
    Pad("Rachid Bouzid", "offer", "numerique", "on_site", 240,
        "Équiper la salle de formation avec des ordinateurs de récup",
        "Je peux installer quatre portables reconditionnés sous Linux dans la salle de "
        "formation.\n"
        "Je les prépare à Lille et je viens les installer à mon prochain passage dans la Drôme.",
        "Salomé m'a dit que les stagiaires des formations n'ont pas toujours d'ordinateur. "
        "J'ai justement quatre portables qui n'attendent qu'une salle.\n\n"
        "Sur place, il faut une demi-journée pour les installer, les relier à l'imprimante et "
        "faire un petit tuto pour l'équipe. Je peux aussi regarder l'ordinateur du bureau qui, "
        "paraît-il, fait un drôle de bruit.",
        "On cale la date avec la personne qui coordonne les formations.",
        ("réparation d'ordinateurs", "Linux", "réemploi"),
        space="ferme"),
    Pad("Marta Kowalska", "offer", "langues", "remote", 60,
        "Conversation en polonais, ou traduction polonais-français",
        "Je peux vous donner des heures de conversation en polonais, tous niveaux, en visio.\n"
        "Ou traduire un document court du polonais vers le français.",
        "Traductrice, j'enseigne aussi le polonais à des adultes depuis six ans. Beaucoup de "
        "mes élèves ont de la famille en Pologne et veulent enfin parler avec leur "
        "grand-mère : on part de ce dont vous avez besoin, pas d'un manuel.\n\n"
        "Pour les traductions, je fais surtout des courriers, des attestations et des fiches "
        "techniques. Pas de traduction assermentée.",
        "Un premier appel de 20 min pour voir votre niveau et ce que vous cherchez.",
        ("traduction polonais-français", "cours de langue", "polonais")),
    Pad("Marta Kowalska", "request", "numerique", "remote", 120,
        "Je cherche un coup de main pour refaire mon site de traductrice",
        "Je cherche quelqu'un pour moderniser mon site : il date de 2015 et s'affiche mal sur "
        "téléphone.\n"
        "En échange : des heures de conversation en polonais ou une traduction.",
        "Mon site tourne sur un vieux thème WordPress que je n'ose plus mettre à jour. Je "
        "voudrais quelque chose de simple : trois pages en français, anglais et polonais, et "
        "un formulaire de contact qui marche.\n\n"
        "J'écris et je traduis tous les textes moi-même. Ce qui me manque, c'est la partie "
        "technique.",
        "Un appel de 20 min pour regarder l'existant ensemble.",
        ("développement web", "WordPress", "site multilingue")),
    Pad("Antoine Dubois", "offer", "bricolage", "on_site", 120,
        "Du croquis au prototype : impression 3D et découpe laser au fablab",
        "Je peux vous accompagner au fablab pour fabriquer une pièce, un boîtier ou un "
        "prototype.\n"
        "Le mercredi soir : on modélise ensemble, puis on lance l'impression ou la découpe.",
        "Une pièce de lave-vaisselle introuvable, un support pour votre stand, une boîte pour "
        "un montage Arduino : beaucoup de choses se fabriquent en une soirée.\n\n"
        "Venez avec un croquis coté (ou la pièce cassée) ; on la modélise sous FreeCAD et je "
        "vous montre les réglages des machines. Filament et contreplaqué à prix coûtant, "
        "affiché au fablab.",
        "Passez un mercredi soir au fablab, à partir de 18 h. Pas besoin de prévenir.",
        ("impression 3D", "découpe laser", "électronique")),
    Pad("Antoine Dubois", "request", "coup-de-main", "on_site", 180,
        "Je cherche des volontaires pour ranger le stock de composants du fablab",
        "Je cherche trois personnes pour trier et étiqueter les composants électroniques du "
        "fablab.\n"
        "Un mercredi soir, avec des pizzas et une initiation à la soudure en récompense.",
        "Le fablab a reçu plusieurs dons de composants (résistances, capteurs, cartes "
        "Arduino), et tout s'est entassé dans des boîtes à chaussures. On ne retrouve plus "
        "rien.\n\n"
        "On trie par type, on étiquette les tiroirs et on tient un inventaire simple dans un "
        "tableur. C'est aussi une bonne façon de découvrir l'électronique : je vous explique à "
        "quoi sert chaque chose.",
        "Répondez ici, et venez mercredi à 18 h au fablab.",
        ("électronique", "Arduino", "coup de main")),
    Pad("Justine Carré", "offer", "soin", "on_site", 120,
        "Cercle de parole entre indépendant·es",
        "Je peux animer un cercle de parole mensuel pour celles et ceux qui travaillent "
        "seul·es.\n"
        "Deux heures pour déposer ce qui pèse, écouter les autres et repartir plus léger·e.",
        "Travailler en freelance, c'est aussi porter seul·e les doutes, les clients difficiles "
        "et les mois creux. Le cercle n'est ni une thérapie ni un groupe de travail : c'est un "
        "espace d'écoute, avec quelques règles simples (confidentialité, pas de conseil non "
        "demandé).\n\n"
        "Je l'anime déjà à La Filature ; des membres du Quai m'ont demandé d'en ouvrir un à "
        "Rennes, le premier lundi du mois, quand j'y passe.",
        "Inscrivez-vous ici, huit places au plus. On commence par un café à 18 h 30.",
        ("communication non violente", "facilitation", "écoute"),
        space="quai"),
    Pad("Justine Carré", "offer", "soin", "both", 60,
        "Une première séance pour traverser une tension dans votre équipe",
        "Je peux vous recevoir, seul·e ou à deux, quand une relation de travail se tend.\n"
        "Une heure d'écoute, et des outils de communication non violente pour la suite.",
        "Un associé qui ne répond plus, une bénévole qui part fâchée, un désaccord qui "
        "s'installe : mieux vaut en parler tôt. Cette première séance sert à y voir clair, pas "
        "à trancher qui a raison.\n\n"
        "Si la situation demande une vraie médiation, je vous oriente vers quelqu'un de formé "
        "(à Coop'Sud, par exemple).",
        "Écrivez-moi ici, même en deux lignes. Je propose un créneau dans la semaine.",
        ("coaching", "communication non violente", "médiation")),
    # ------------------------------------------------ Coop'Sud Entreprendre (Marseille)
    Pad("Inès Moreau", "offer", "comptabilite-gestion", "both", 120,
        "Comprendre votre bilan en deux heures",
        "Je peux vous expliquer votre bilan et votre compte de résultat, poste par poste.\n"
        "Pour savoir enfin ce que « résultat » veut dire, et pourquoi la trésorerie ne suit pas.",
        "Chaque année, des entrepreneur·es reçoivent leur bilan, le signent et le rangent sans "
        "l'avoir compris. Pourtant il raconte beaucoup : où part l'argent, ce qui vous fait "
        "vivre, ce qui vous met en danger.\n\n"
        "Apportez votre dernier bilan (ou les comptes de votre activité, si vous êtes en "
        "CAE). Je vous laisse une fiche d'une page avec vos trois chiffres à suivre.",
        "Un café à la coopérative après la réunion du premier jeudi, ou une visio.",
        ("comptabilité", "gestion de trésorerie", "bilan")),
    Pad("Inès Moreau", "request", "communication", "remote", 90,
        "Je cherche quelqu'un pour rendre ma page pro plus vivante",
        "Je cherche une personne à l'aise avec les réseaux sociaux pour réveiller ma page "
        "professionnelle.\n"
        "Je sais compter, pas raconter : en échange, je vous explique votre compta.",
        "Ma page a 43 abonné·es et mon dernier post date du printemps. Je ne veux pas devenir "
        "influenceuse : juste que les artisans du coin sachent que j'existe et ce que je "
        "fais.\n\n"
        "Idéalement, une séance pour trouver trois idées de publications régulières, et un "
        "petit calendrier que je peux tenir seule.",
        "Un appel de 20 min pour voir si on accroche, puis une séance en visio.",
        ("réseaux sociaux", "communication", "comptabilité")),
    Pad("Youssef El Amrani", "offer", "numerique", "both", 120,
        "Prendre en main votre site WordPress, sans m'appeler à chaque fois",
        "Je peux vous apprendre à mettre à jour votre site WordPress vous-même : pages, "
        "articles, images.\n"
        "Et à faire les mises à jour sans tout casser.",
        "La plupart de mes clients commerçants m'appelaient pour changer un horaire ou une "
        "photo. Je préfère leur apprendre : c'est plus rapide pour tout le monde. Au "
        "programme :\n\n"
        "- modifier une page et publier un article ;\n"
        "- redimensionner une image avant de l'envoyer ;\n"
        "- faire les mises à jour et une sauvegarde.\n\n"
        "Il vous faut vos identifiants d'administration (on les retrouve ensemble si besoin).",
        "Une séance de deux heures à la coopérative, avec votre ordinateur.",
        ("WordPress", "développement web", "SEO")),
    Pad("Youssef El Amrani", "request", "juridique", "remote", 60,
        "Je cherche un regard juridique sur mes mentions légales et mes CGV",
        "Je cherche une personne qui connaît le droit pour relire les mentions légales et les "
        "CGV que je fournis.\n"
        "Je les ai adaptées d'un modèle et je ne suis pas sûr de moi.",
        "Je livre des sites WordPress à des commerçants, avec un modèle de mentions légales et "
        "de conditions générales de vente. Ces modèles ont cinq ans, et le RGPD est passé par "
        "là.\n\n"
        "Une heure de relecture critique me suffirait, pour savoir ce qu'il faut absolument "
        "corriger. En échange, je regarde le référencement de votre site.",
        "Je vous envoie les documents, puis on s'appelle une heure.",
        ("mentions légales", "RGPD", "WordPress")),
    Pad("Sarah Lévy", "offer", "image-son", "on_site", 180,
        "Photos culinaires pour votre carte ou votre boutique en ligne",
        "Je peux photographier vos plats ou vos produits en lumière naturelle, dans votre "
        "cuisine.\n"
        "Une demi-matinée, une dizaine d'images retouchées, prêtes pour le site et les réseaux.",
        "Je travaille surtout pour des restaurants de quartier, des traiteurs et des "
        "producteurs. Pas de studio : une fenêtre, un réflecteur, et vos assiettes telles "
        "qu'elles sont servies.\n\n"
        "On prépare ensemble une petite liste de plats ; je m'occupe du stylisme et de la "
        "retouche. Vous gardez les droits d'utilisation pour vos supports.",
        "Un appel de 20 min pour choisir la date et les plats, puis je passe un matin.",
        ("photographie", "stylisme culinaire", "retouche photo")),
    Pad("Sarah Lévy", "request", "design", "both", 120,
        "Je cherche un·e graphiste pour repenser mon portfolio",
        "Je cherche un regard de graphiste pour réorganiser mon portfolio de photographe.\n"
        "J'ai trop d'images et pas de fil conducteur : aidez-moi à choisir et à mettre en page.",
        "Mon portfolio mélange portraits, photos culinaires et reportages, et les gens ne "
        "comprennent pas ce que je fais. J'aimerais deux parcours clairs et une mise en page "
        "sobre, en PDF et sur mon site.\n\n"
        "En échange, je fais volontiers votre portrait ou des photos de vos réalisations.",
        "Un café à la coopérative un mardi ; j'apporte mes tirages.",
        ("graphisme", "mise en page", "portfolio")),
    Pad("Nadia Cherif", "offer", "formation", "on_site", 180,
        "Prise de parole en public : un atelier pour oser",
        "Je peux animer un atelier de trois heures pour celles et ceux que la prise de parole "
        "paralyse.\n"
        "Respiration, un pitch de deux minutes bien construit, et beaucoup de bienveillance.",
        "J'ai enseigné dix ans en lycée professionnel : je sais ce que c'est que de parler "
        "devant un public qui n'a pas envie d'écouter. L'atelier est pensé pour les "
        "entrepreneur·es qui présentent leur activité en réunion coopérative, à un financeur "
        "ou sur un salon.\n\n"
        "Six personnes au plus. Chacun·e repart avec son pitch retravaillé, et une vidéo de soi "
        "qu'on n'est pas obligé de regarder.",
        "Inscrivez-vous ici ; l'atelier a lieu un samedi matin dès qu'on est quatre.",
        ("prise de parole en public", "formation", "animation d'ateliers")),
    Pad("Nadia Cherif", "request", "formation", "remote", 480,
        "Je cherche un·e binôme pour co-animer une formation à distance",
        "Je cherche quelqu'un pour co-animer avec moi une formation en gestion de projet, en "
        "visio.\n"
        "Je porte le contenu ; il me faut une personne pour le tchat, les salles et le rythme.",
        "Je donne une formation de deux demi-journées à des porteur·ses de projet d'un réseau "
        "rural. À distance, animer seule est épuisant : pendant que je parle, je ne vois ni le "
        "tchat ni les mains levées.\n\n"
        "Si vous avez déjà animé en visio (Jitsi ou BigBlueButton), c'est idéal. Sinon, je vous "
        "forme en une heure.",
        "Un appel de 20 min pour cadrer, puis une répétition la veille.",
        ("animation d'ateliers", "formation", "gestion de projet")),
    Pad("Jérémie Bonnet", "offer", "design", "on_site", 240,
        "Initiation à la sérigraphie dans mon atelier de la Belle de Mai",
        "Je peux vous apprendre les bases de la sérigraphie en une demi-journée.\n"
        "Insolation, encrage, tirage : vous repartez avec vos affiches ou vos t-shirts imprimés.",
        "La sérigraphie est un métier de gestes, et c'est en tirant sa première affiche qu'on "
        "comprend tout. Je vous accueille dans mon petit atelier, deux personnes au plus.\n\n"
        "Apportez un visuel simple (une ou deux couleurs), ou on en dessine un sur place. "
        "T-shirts et papier à prix coûtant, encres à l'eau.",
        "On choisit un mardi ou un jeudi après-midi ; écrivez-moi ici avec votre visuel.",
        ("sérigraphie", "impression", "graphisme")),
    Pad("Jérémie Bonnet", "request", "coup-de-main", "on_site", 180,
        "Je cherche des bras pour déménager mon atelier de sérigraphie",
        "Je cherche trois ou quatre personnes pour m'aider à déménager l'atelier, samedi en "
        "huit.\n"
        "Une table d'insolation lourde, des cadres fragiles et deux étages sans ascenseur.",
        "Mon atelier change de rue à la Belle de Mai : le nouveau local est plus grand et a "
        "enfin une fenêtre. Il faut descendre deux étages avec la table d'insolation, qui pèse "
        "son poids, et une soixantaine de cadres.\n\n"
        "J'ai réservé une camionnette. En retour : pizza à midi et une affiche sérigraphiée "
        "pour chacun·e.",
        "Répondez ici avec vos disponibilités ; rendez-vous à 9 h devant l'atelier.",
        ("coup de main", "déménagement", "sérigraphie"),
        state="pending"),
    Pad("Sofia Costa", "offer", "langues", "on_site", 90,
        "Accompagner une famille lusophone dans ses démarches",
        "Je peux traduire et accompagner une famille lusophone à un rendez-vous "
        "administratif.\n"
        "CAF, préfecture, école : je traduis, j'explique, et je reste jusqu'au bout.",
        "Je suis interprète portugais-français. Dans les démarches, ce n'est pas toujours la "
        "langue qui bloque, c'est le vocabulaire administratif : même en français, "
        "« justificatif de domicile de moins de trois mois » demande des explications.\n\n"
        "Je peux aussi traduire des courriers courts à l'avance, pour que la famille arrive "
        "préparée.",
        "Écrivez-moi avec la date du rendez-vous ; si je ne suis pas libre, je vous oriente.",
        ("interprétariat", "traduction portugais-français", "démarches administratives")),
    Pad("Sofia Costa", "request", "comptabilite-gestion", "remote", 60,
        "Je cherche un outil de facturation simple, et quelqu'un pour me le montrer",
        "Je cherche une personne pour me conseiller un outil de facturation et m'aider à "
        "l'installer.\n"
        "Je fais mes factures dans un traitement de texte : ça ne peut plus durer.",
        "La coopérative tient ma comptabilité, mais j'émets toujours mes devis et mes factures "
        "moi-même. Je voudrais un outil qui numérote tout seul, garde l'historique par client "
        "et exporte ce que la compta demande.\n\n"
        "Idéalement un logiciel libre ou gratuit. Une heure pour choisir et faire ma première "
        "facture suffirait.",
        "Un appel de 20 min pour comprendre mon besoin, puis une séance en visio.",
        ("facturation", "comptabilité", "gestion administrative")),
    Pad("Ibrahim Keïta", "offer", "image-son", "both", 120,
        "Enregistrer un podcast avec son téléphone",
        "Je peux vous apprendre à enregistrer une interview propre avec un simple téléphone.\n"
        "Placement, réglages, pièce qui résonne : les trois choses qui changent tout.",
        "On croit qu'il faut un micro à 300 € pour faire un podcast. En vrai, l'essentiel de "
        "la qualité vient de la pièce et de la distance au micro. Je vous montre avec votre "
        "téléphone, dans la petite salle insonorisée de la coopérative puis dans une pièce "
        "ordinaire.\n\n"
        "Si vous avez déjà des enregistrements, apportez-les : on les écoute et on voit ce "
        "qu'on peut sauver au montage.",
        "Une séance de deux heures un mardi à la coopérative ; venez avec le téléphone chargé.",
        ("prise de son", "podcast", "montage audio"),
        state="pending"),
    Pad("Amandine Roche", "offer", "juridique", "both", 90,
        "Première embauche : ce qu'il faut savoir avant de signer",
        "Je peux vous aider à préparer votre première embauche : contrat, convention "
        "collective, formalités.\n"
        "Pour commencer la relation de travail sur de bonnes bases.",
        "Recruter sa première salariée est une belle étape, et souvent un saut dans "
        "l'inconnu. En une séance, on passe en revue :\n\n"
        "- le bon type de contrat et sa durée ;\n"
        "- votre convention collective et ses minima ;\n"
        "- la déclaration préalable, la mutuelle, la médecine du travail.\n\n"
        "Je préfère les questions concrètes : apportez votre projet de fiche de poste.",
        "Un appel de 20 min pour cadrer, puis une séance à la coopérative ou en visio.",
        ("droit du travail", "ressources humaines", "embauche")),
    # ------------------------------------------------ La Ferme des Communs (Dieulefit)
    Pad("Bertrand Chauvin", "request", "jardin-alimentation", "on_site", 240,
        "Je cherche des bras pour le paillage de printemps",
        "Je cherche quatre ou cinq personnes pour pailler les planches du jardin partagé, un "
        "samedi matin.\n"
        "Travail au grand air, repas du jardin à midi.",
        "Le paillage, c'est ce qui nous évite d'arroser tout l'été. Il faut étaler une "
        "dizaine de bottes de foin sur les planches de légumes et autour des petits fruits.\n\n"
        "Pas besoin de savoir jardiner : je montre le geste en cinq minutes. Prévoyez des "
        "gants et un chapeau ; Salomé cuisine ce qu'on aura récolté.",
        "Rendez-vous samedi à 9 h devant la grange ; dites-moi ici si vous venez, pour le "
        "repas.",
        ("jardinage", "permaculture", "chantier participatif")),
    Pad("Bertrand Chauvin", "offer", "jardin-alimentation", "on_site", 120,
        "Découvrir les abeilles : une visite des ruches",
        "Je peux vous faire découvrir mes deux ruches : ouverture, observation des cadres, "
        "récolte en saison.\n"
        "Combinaison fournie ; on reste calmes et tout se passe bien.",
        "Je garde deux ruches au fond du terrain depuis trois ans. Une visite, c'est "
        "l'occasion de comprendre la vie d'une colonie, et ce qu'on peut faire au jardin pour "
        "les pollinisateurs.\n\n"
        "Deux personnes par visite, par temps doux et sans vent. Déconseillé si vous êtes "
        "allergique aux piqûres, évidemment.",
        "Écrivez-moi ici ; je propose une date selon la météo de la semaine.",
        ("apiculture", "jardinage", "permaculture")),
    Pad("Salomé Giraud", "offer", "jardin-alimentation", "on_site", 180,
        "Atelier lacto-fermentation : les légumes du jardin en bocaux",
        "Je peux vous apprendre à lacto-fermenter les légumes : chou, carottes, betteraves.\n"
        "Trois heures dans la cuisine de la ferme ; vous repartez avec deux bocaux.",
        "La lacto-fermentation est la plus simple des conserves : du sel, de l'eau, des "
        "légumes et un peu de patience. Pas de stérilisation, pas d'énergie, et des saveurs "
        "qu'on ne trouve pas en magasin.\n\n"
        "On prépare ensemble une choucroute, des carottes au gingembre et un kimchi doux. Je "
        "vous explique aussi comment éviter les ratés, et les reconnaître.",
        "Inscriptions ici ; l'atelier a lieu un dimanche après-midi, dès qu'on est cinq.",
        ("conserves et lacto-fermentation", "cuisine", "animation d'ateliers")),
    Pad("Salomé Giraud", "request", "design", "both", 240,
        "Je cherche de l'aide pour mettre en page un livret de recettes",
        "Je cherche quelqu'un pour mettre en page un petit livret des recettes de saison de la "
        "ferme.\n"
        "Une trentaine de recettes, quelques photos, à imprimer pour les stagiaires.",
        "Les stagiaires repartent toujours en demandant les recettes. J'ai les textes (un peu "
        "en vrac) et des photos prises au téléphone. Il me manque quelqu'un qui sait faire une "
        "mise en page claire et chaleureuse, et qui m'aide à relire.\n\n"
        "Je peux rendre la pareille en bocaux, en repas ou en heures d'atelier cuisine !",
        "Un appel de 20 min pour voir le contenu, puis on avance à distance.",
        ("mise en page", "graphisme", "recettes")),
    Pad("Aurélien Masson", "offer", "bricolage", "on_site", 180,
        "Conseils pour isoler en paille ou construire une petite cabane",
        "Je peux venir voir votre projet d'isolation ou de petite construction en bois et "
        "paille.\n"
        "Des conseils concrets, et une idée honnête de ce que vous pouvez faire vous-même.",
        "Charpentier, je construis en bois et en paille depuis douze ans. J'ai aidé à rénover "
        "la grange de la ferme, devenue la salle de formation : venez voir le résultat.\n\n"
        "Je regarde votre bâti, je vous explique ce qui se fait en chantier participatif et ce "
        "qui demande un pro. Je peux aussi vous aider à organiser le chantier.",
        "Écrivez-moi avec quelques photos ; visite un samedi, dans la Drôme ou le Diois.",
        ("éco-construction", "construction bois", "menuiserie")),
    Pad("Aurélien Masson", "request", "coup-de-main", "on_site", 360,
        "Chantier participatif : construire l'abri à vélos de la ferme",
        "Je cherche six à huit volontaires pour monter un abri à vélos en bois, au chantier "
        "du mois.\n"
        "Débutant·es bienvenu·es : on apprend en faisant.",
        "Les vélos des résident·es dorment sous la pluie depuis trop longtemps. La structure "
        "est taillée à l'atelier ; il reste à creuser les plots, lever la charpente et poser "
        "la couverture.\n\n"
        "On travaille en binômes, un·e débutant·e avec quelqu'un qui a déjà fait. Outils "
        "fournis ; apportez des gants et de bonnes chaussures. Repas partagé à midi.",
        "Inscrivez-vous ici ; rendez-vous à 8 h 30 devant l'atelier bois.",
        ("chantier participatif", "construction bois", "coup de main")),
    Pad("Élodie Perrin", "offer", "communication", "remote", 90,
        "Lancer la lettre d'information de votre lieu",
        "Je peux vous aider à lancer une lettre d'information mensuelle, simple et tenable.\n"
        "Le bon rythme, la bonne longueur, et un modèle réutilisable.",
        "Pour un lieu culturel ou un tiers-lieu, la lettre d'information reste souvent le "
        "canal le plus fidèle, bien avant les réseaux sociaux. Mais elle meurt vite si elle "
        "demande trois jours de travail par mois.\n\n"
        "Je vous aide à trouver une structure en quatre rubriques, à choisir l'outil (libre si "
        "possible) et à écrire le premier numéro avec vous.",
        "Une visio d'une heure et demie, puis je relis votre deuxième numéro.",
        ("communication", "rédaction", "lettre d'information"),
        state="expired"),
    Pad("Élodie Perrin", "request", "logistique", "on_site", None,
        "Je cherche un covoiturage Nyons–Dieulefit le mardi",
        "Je cherche quelqu'un qui fait le trajet entre Nyons et Dieulefit le mardi matin.\n"
        "Je partage les frais, et la conversation (ou le silence, selon l'heure).",
        "Je viens à la ferme deux jours par semaine, et le car ne passe pas aux bonnes heures "
        "le mardi. Je peux partir de Nyons entre 8 h et 9 h et rentrer vers 18 h.\n\n"
        "Si vous ne faites que l'aller ou que le retour, ça m'aide déjà beaucoup.",
        "Écrivez-moi ici ; on essaie un premier mardi pour voir si ça colle.",
        ("covoiturage", "mobilité", "logistique")),
    # ------------------------------------------------ Le Quai des Possibles (Rennes)
    Pad("Maëlle Rousseau", "offer", "numerique", "both", 240,
        "Un site vitrine clair pour votre atelier ou votre ferme",
        "Développeuse web et webdesigneuse, je peux concevoir et monter le site de votre "
        "activité.\n"
        "Des couleurs franches, des pages lisibles par tout le monde, et vous gardez la main.",
        "Je travaille surtout pour des artisans et des producteurs bretons : un site qui dit ce "
        "que vous faites et où vous trouver, et qui se lit bien sur téléphone. Je dessine "
        "d'abord une maquette qu'on valide ensemble, puis je la développe.\n\n"
        "Deux séances de travail, et une troisième pour vous apprendre à changer vos textes et "
        "vos photos. Le nom de domaine et l'hébergement restent à votre nom.",
        "Un appel de 20 min pour cadrer, puis un café au Quai avec vos photos et vos textes.",
        ("webdesign", "développement web", "graphisme")),
    Pad("Maëlle Rousseau", "request", "design", "on_site", 30,
        "Je cherche des testeurs et des testeuses pour mes maquettes",
        "Je cherche des personnes prêtes à tester mes maquettes de sites pendant vingt "
        "minutes.\n"
        "Votre regard de vrai·e utilisateur·ice m'aide plus que n'importe quel outil.",
        "Je montre une maquette cliquable sur mon ordinateur et je vous demande une tâche "
        "simple, comme trouver les horaires d'une ferme. Je n'interviens pas, je note où vous "
        "hésitez.\n\n"
        "Aucune compétence requise, au contraire : je cherche des personnes qui ne sont pas du "
        "métier. Les grands-parents sont les bienvenus.",
        "Passez au Quai le mercredi après-midi ; un café contre vos vingt minutes.",
        ("webdesign", "UX design", "tests utilisateurs")),
    Pad("Kevin Tran", "offer", "numerique", "remote", 120,
        "Nettoyer le fichier Excel qui a beaucoup vécu",
        "Je peux remettre d'aplomb un tableur d'adhérent·es ou de suivi : doublons, dates, "
        "cellules fusionnées.\n"
        "Et vous montrer comment le garder propre ensuite.",
        "Un fichier d'adhérent·es tenu par quatre trésorier·es successifs, on en a tous vu. Je "
        "le nettoie avec vous (pas à votre place), puis je vous montre trois ou quatre "
        "réflexes : une ligne par personne, des dates au bon format, des listes "
        "déroulantes.\n\n"
        "Si vous voulez aller plus loin, on en tire un petit tableau de bord d'activité.",
        "Envoyez-moi une copie anonymisée du fichier ; on en parle en visio.",
        ("tableurs", "analyse de données", "Python")),
    Pad("Kevin Tran", "request", "formation", "on_site", 90,
        "Je cherche qui m'aide à préparer mon premier atelier sur les données",
        "Je cherche une personne habituée à animer pour préparer un atelier « lire un "
        "graphique ».\n"
        "C'est ma première animation et j'ai peur d'endormir tout le monde.",
        "Une association de quartier m'a demandé un atelier de deux heures pour apprendre à "
        "lire les chiffres de son rapport d'activité. Je connais le sujet, mais je n'ai jamais "
        "animé.\n\n"
        "**Mise à jour :** Pierre-Yves m'a aidé à construire le déroulé, et l'atelier s'est "
        "très bien passé. Merci, je ferme l'annonce.",
        "Un café au Quai pour regarder mon déroulé.",
        ("animation d'ateliers", "analyse de données", "formation"),
        state="closed"),
    Pad("Zoé Bertin", "offer", "bricolage", "on_site", 60,
        "Repriser une chaussette (et autres réparations textiles)",
        "Je peux vous apprendre à repriser une chaussette ou un pull troué, à l'aiguille.\n"
        "Vingt minutes pour la chaussette, promis ; une heure pour le pull préféré.",
        "Je tiens un stand de réparation textile au marché des Lices un samedi sur deux, et je "
        "vois passer des pulls magnifiques qu'on allait jeter pour un trou au coude.\n\n"
        "Je vous montre la reprise classique, la reprise visible (colorée, très à la mode) et "
        "le patch tricoté. Apportez le vêtement ; je fournis les laines et l'œuf à repriser.",
        "Au Quai le jeudi en fin de journée, ou à mon stand du marché des Lices.",
        ("réparation textile", "tricot", "couture")),
    Pad("Zoé Bertin", "request", "bricolage", "on_site", 90,
        "Je cherche quelqu'un pour réviser une vieille machine à coudre",
        "Je cherche une personne qui s'y connaît en mécanique pour remettre en route une Singer "
        "des années 70.\n"
        "Elle saute des points et le moteur chauffe : je n'ose plus l'emporter au marché.",
        "C'est la machine de ma grand-mère, increvable… d'habitude. Je pense qu'il faut la "
        "nettoyer, la graisser et peut-être changer la courroie, mais je ne veux pas "
        "l'abîmer.\n\n"
        "Je peux l'apporter au Quai un jeudi soir, pendant l'atelier vélo. En échange, je "
        "reprise tout ce que vous voulez.",
        "Écrivez-moi ici ; je l'apporte un jeudi soir au Quai.",
        ("couture", "mécanique", "machine à coudre")),
    Pad("Yann Le Bihan", "offer", "bricolage", "on_site", None,
        "Atelier d'autoréparation vélo du jeudi soir",
        "Je peux vous aider à réparer votre vélo vous-même, à l'atelier du Quai, le jeudi "
        "soir.\n"
        "Outils, pied d'atelier et conseils fournis ; vous gardez les mains dans le cambouis.",
        "L'atelier est ouvert de 18 h à 21 h. Réparation de vélos, entretien, montage d'un "
        "vélo de récup : je vous accompagne sans faire à votre place.\n\n"
        "On a un petit stock de pièces d'occasion (chambres à air, patins, câbles) à prix "
        "libre. Pour les soudures sur cadre ou les remorques, on en parle à part.",
        "Passez jeudi soir avec votre vélo, c'est sans rendez-vous.",
        ("réparation vélo", "soudure", "vélo")),
    Pad("Yann Le Bihan", "request", "communication", "both", 180,
        "Je cherche une plume pour documenter mes plans de remorque vélo",
        "Je cherche quelqu'un qui écrit clairement pour rédiger avec moi la notice de mes "
        "plans libres.\n"
        "Les plans sont prêts ; le texte qui va avec, beaucoup moins.",
        "Je publie sous licence libre les plans d'une remorque vélo qu'on peut souder avec peu "
        "d'outillage. Des ateliers de Brest à Grenoble veulent s'en servir, mais ma notice "
        "tient en dix lignes pleines d'abréviations.\n\n"
        "Il me faut quelqu'un qui pose les questions du néophyte et m'aide à structurer : "
        "matériel, étapes, points de sécurité. Je m'occupe des schémas.",
        "Un café au Quai le jeudi avant l'atelier ; je vous montre la remorque.",
        ("rédaction", "documentation", "réparation vélo")),
    Pad("Léa Fontaine", "offer", "communication", "both", 90,
        "Écrire enfin votre page « À propos »",
        "Je peux vous aider à écrire la page « À propos » de votre site, celle qu'on repousse "
        "toujours.\n"
        "Une interview d'une heure, et je vous rends un premier jet à retravailler.",
        "Raconter qui on est est bien plus difficile que décrire ce qu'on fait. Je commence "
        "par vous interviewer, comme une journaliste : votre parcours, ce qui vous anime, ce "
        "que vos clients disent de vous.\n\n"
        "À partir de vos propres mots, j'écris un premier jet ; vous le corrigez, je le reprends "
        "une fois. Je soigne le référencement, sans sacrifier le plaisir de lire.",
        "Un appel de 20 min pour cadrer, puis l'interview au Quai ou en visio.",
        ("rédaction web", "SEO", "communication")),
    Pad("Léa Fontaine", "request", "image-son", "both", 120,
        "Je cherche quelqu'un pour m'apprendre à photographier pour mes articles",
        "Je cherche une personne qui photographie bien pour m'apprendre les bases, avec un "
        "simple téléphone.\n"
        "Mes articles sont bien écrits ; mes photos, beaucoup moins.",
        "J'illustre mes articles avec des photos de banques d'images, et ça se voit. "
        "J'aimerais savoir faire des images simples et honnêtes : un portrait dans un atelier, "
        "une vue d'un lieu, un détail.\n\n"
        "Deux heures de pratique dehors me suffiraient pour démarrer. En échange, je réécris "
        "la page de votre choix sur votre site.",
        "Un café au Quai, puis une balade photo le long du canal.",
        ("photographie", "rédaction web", "communication")),
    Pad("Julien Faure", "offer", "comptabilite-gestion", "both", 120,
        "Tenir la comptabilité de votre association sans y laisser ses soirées",
        "Je peux aider les trésorier·es d'association à mettre en place une comptabilité "
        "simple.\n"
        "Plan comptable adapté, pièces rangées, clôture de fin d'année sans panique.",
        "Être trésorier·e bénévole, c'est souvent hériter d'un classeur et d'un tableur sans "
        "mode d'emploi. Je vous aide à poser une organisation qui tiendra quand vous passerez "
        "le relais :\n\n"
        "- un plan comptable réduit à l'essentiel ;\n"
        "- un rangement des pièces, papier ou numérique ;\n"
        "- le calendrier des obligations légales.",
        "Passez le mercredi avec votre classeur, je suis au Quai toute la journée.",
        ("comptabilité", "droit des associations", "gestion administrative")),
    Pad("Pierre-Yves Kerjean", "offer", "formation", "both", 120,
        "Structurer votre projet coopératif : qui fait quoi, pour quand",
        "Je peux vous aider à passer de l'idée au plan d'action : étapes, rôles, budget, "
        "calendrier.\n"
        "Deux heures avec votre petit groupe, un mur, et beaucoup de post-it.",
        "J'ai été chef de projet quinze ans dans une grande entreprise, et les outils qui "
        "marchent vraiment sont les plus simples. Pendant la séance, on :\n\n"
        "- clarifie l'objectif en une phrase ;\n"
        "- découpe en étapes et nomme qui porte quoi ;\n"
        "- repère les dépendances et les risques.\n\n"
        "Vous repartez avec un plan qui tient sur une page.",
        "Un appel de 20 min pour cadrer, puis une séance au Quai ou à L'Écluse.",
        ("gestion de projet", "gouvernance partagée", "facilitation")),
    Pad("Pierre-Yves Kerjean", "request", "langues", "remote", 90,
        "Je cherche des conversations en anglais pour préparer une présentation",
        "Je cherche une personne à l'aise en anglais pour deux conversations d'entraînement en "
        "visio.\n"
        "Je présente un projet coopératif à un financeur européen dans un mois.",
        "Mon anglais écrit est correct, mais à l'oral je perds mes moyens dès qu'on me pose "
        "une question imprévue. J'aimerais simuler la présentation et les questions, puis "
        "travailler le vocabulaire de l'économie sociale.\n\n"
        "En échange, je vous aide à structurer un projet ou à monter un budget.",
        "Un appel de 20 min pour se rencontrer, puis deux séances de 45 minutes.",
        ("anglais", "conversation", "prise de parole en public"),
        space="ecluse"),
]  # fmt: skip
