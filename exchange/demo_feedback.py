"""The demo network's feedback: what the two parties of the confirmed exchanges said of each
other, so that profiles, listing cards and the exchange pages have a reputation to show.

Written after `demo_exchanges.add`, straight into the tables: the services date what they write
now and lock the exchange, and this is history. Every rule of `services.feedback` holds all the
same: only the two parties of a confirmed exchange write, once each, each about the other, within
the 14 days after the confirmation; only the receiver confirms skills, among those
`feedback.confirmable_skills` offers; both appear when the second writes, else when the window
closes, and are announced then.

Most confirmed exchanges have feedback, some from one side only, some none. Those confirmed in
the last 14 days are still open: on some, one side has written and the other has not yet
(double-blind: the demo log-ins find "X a écrit son retour" waiting for them), some are answered,
some have nothing yet. A few profiles are shaped on purpose:
- `VETERAN`, a demo log-in: recommended by every counterpart, skills confirmed by several;
- `MIXED`: recommended, but also one neutral voice and one that does not recommend;
- `QUIET`: confirmed exchanges, and nobody has written about them yet;
- the newest members (Yasmine Benali, a demo log-in) have nothing: they read as new.
One comment was reported by the member it is about and hidden by a coordinator (it gave their
phone number); about ten feedback have their public reply.

Everything follows from the exchanges and the `random.Random` handed in: two seeds of empty
databases write the same feedback.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from exchange.services.moderation import audit, reports, rights
from exchange.services.notify import notifications
from exchange.services.reputation import feedback
from exchange.text import fold
from models import (
    Exchange,
    Feedback,
    Listing,
    Membership,
    Notification,
    Report,
    Skill,
    User,
    db,
)
from models.feedback import WINDOW

VETERAN = "Hélène Vidal"
MIXED = "Élodie Perrin"
QUIET = "Yann Le Bihan"

UNRECOMMENDED_EXTRA = 2  # feedback that does not recommend, besides the one about MIXED
HISTORY_SHARE = {"both": 0.58, "one": 0.21}  # the rest: nobody wrote (closed windows)
RECENT_SHARE = {"both": 0.25, "one": 0.40}  # windows still open: "one" is double-blind
JOB_HOUR = 4  # `flask feedback publish` runs every night at 4 h, Paris time

# ---------------------------------------------------------------------------- the words
# {first}: the first name of the member the sentence is about.

# What the receiver says of the work, by words of the exchange's title (accents ignored).
RECEIVED = [
    (("TVA",), "Ma première déclaration de TVA est partie sans sueurs froides, et je sais "
     "maintenant où trouver chaque case."),
    (("TVA",), "On a rempli la déclaration ensemble, case par case, avec mes vraies factures : je "
     "pourrai la faire seul·e le trimestre prochain."),
    (("TVA",), "{first} m'a dessiné sur un coin de feuille le trajet de la TVA, de la facture au "
     "formulaire. Le dessin est punaisé au-dessus de mon bureau."),
    (("TVA",), "Une heure pour comprendre la franchise, le régime réel et les acomptes. Limpide."),
    (("micro-entreprise",), "Mon livre des recettes est passé des post-it à un tableur qui calcule "
     "tout seul ce que je dois à l'URSSAF."),
    (("bilan",), "Mon bilan n'est plus un document mystérieux : on l'a lu ligne à ligne, et j'ai "
     "compris d'où venait mon déficit."),
    (("facturation",), "Mes factures ont une numérotation propre, des mentions complètes et un "
     "tableau de suivi des impayés qui m'a déjà servi."),
    (("URSSAF",), "Le point sur mes cotisations m'a évité une mauvaise surprise : j'avais oublié "
     "de déclarer un trimestre entier."),
    (("trésorerie",), "On a regardé ma trésorerie des six prochains mois avant l'achat de la "
     "presse : j'ai décalé d'un trimestre, et c'était la bonne décision."),
    (("notes de frais",), "Les notes de frais de la rencontre inter-lieux suivent enfin une "
     "logique, et la trésorière de l'association aussi est contente."),
    (("budget prévisionnel",), "Un budget prévisionnel crédible en deux heures, avec les bonnes questions sur "
     "les cofinancements et les contributions en nature."),
    (("budget prévisionnel",), "{first} a repris mon budget poste par poste : le financeur n'a posé aucune "
     "question dessus."),
    (("stagiaire", "embauche"), "Avant de recruter, on a fait le tour de ce que coûte vraiment un "
     "poste et des aides possibles. J'ai signé l'esprit tranquille."),
    (("embauche",), "Contrat, visite médicale, déclaration préalable : la liste {de_first} m'a "
     "suivi·e pendant toute ma première embauche."),
    (("stagiaire",), "Des réponses nettes sur la convention de stage et la gratification, textes à "
     "l'appui."),
    (("contrat d'édition",), "Trois clauses à renégocier dans mon contrat d'édition, expliquées une "
     "à une. L'éditeur a accepté deux changements sur trois."),
    (("statuts",), "Nos statuts de 1998 ressemblent enfin à ce qu'on fait aujourd'hui, et l'AG les "
     "a votés sans accroc."),
    (("statuts",), "Relecture des statuts très soignée : {first} a repéré un article sur les votes "
     "qui nous aurait bloqués."),
    (("salariée",), "Le contrat de ma première salariée a été relu clause par clause ; j'ai "
     "corrigé la période d'essai à temps."),
    (("conditions de vente",), "Mes conditions de vente sont passées de deux pages confuses à une "
     "page claire, relue ligne à ligne."),
    (("assemblée générale",), "L'AG a tenu dans les temps, avec un ordre du jour clair et des "
     "votes sans confusion."),
    (("assemblée générale",), "{first} nous a aidés à préparer les convocations et le pouvoir "
     "type : pour une première AG, on était prêts."),
    (("vélo",), "Mon dérailleur ne saute plus à chaque montée, et j'ai appris à régler la tension "
     "du câble moi-même."),
    (("vélos",), "Freins refaits et roue dévoilée : mon vélo n'a jamais aussi bien roulé."),
    (("vélos",), "{first} m'a montré comment changer une chambre à air en dix minutes. Je repars "
     "avec les bons gestes, pas seulement un vélo réparé."),
    (("avant l'hiver",), "Réglage complet avant l'hiver, éclairage compris, et chaque réglage "
     "expliqué au fur et à mesure."),
    (("freins et câbles",), "Des câbles neufs et des patins changés : je freine enfin sans serrer "
     "de toutes mes forces."),
    (("traduction anglais",), "Traduction rendue en avance, fidèle, et qui sonne vraiment "
     "français : notre partenaire n'y a vu que du feu."),
    (("traduction en anglais",), "La présentation du réseau existe en anglais, et elle garde notre "
     "ton, jusqu'aux passages sur le Care'n Share."),
    (("interprétariat",), "L'interprétariat pendant l'entretien a tout changé : la candidate a pu "
     "répondre en confiance, dans sa langue."),
    (("conversations en anglais",), "Trois conversations en anglais pour préparer ma "
     "présentation : je suis arrivé·e détendu·e devant le jury."),
    (("devis de traiteur",), "Le devis du traiteur traduit poste par poste, avec une note sur les "
     "deux lignes qui posaient question. Précieux."),
    (("carte pour le marché",), "Ma carte du marché existe en portugais, avec les plats expliqués "
     "plutôt que traduits mot à mot."),
    (("lusophone",), "{first} a accompagné la famille à la CAF et traduit chaque courrier avec "
     "patience. Leurs droits sont enfin ouverts."),
    (("dossier européen",), "Résumé traduit avec le vocabulaire exact des programmes européens : "
     "exactement ce qu'il fallait pour le dépôt."),
    (("polonais",), "Une heure de conversation en polonais avant mon voyage : j'ai pu parler à ma "
     "grand-tante sans sortir le téléphone."),
    (("sous-titres traduits",), "Les sous-titres traduits ont été relus avec soin, timing compris "
     ": plus aucune réplique ne déborde."),
    (("relecture de vos textes", "page d'accueil"), "Relecture minutieuse : une trentaine de "
     "coquilles, et deux phrases que personne ne comprenait."),
    (("page d'accueil",), "La page d'accueil dit enfin ce que je fais, en trois phrases au lieu de "
     "douze."),
    (("relecture de vos textes",), "Une relecture rapide mais très juste, rendue le lendemain "
     "matin avec des idées de titres."),
    (("subvention",), "Mon dossier de subvention est parti dans les temps, avec un résumé qu'on lit "
     "jusqu'au bout."),
    (("subvention",), "{first} a resserré mon dossier de moitié sans lui enlever sa voix. Je "
     "n'aurais jamais osé couper autant."),
    (("article de blog",), "L'article sur les données ouvertes se lit maintenant d'une traite ; "
     "merci surtout pour le titre."),
    (("relecture des textes",), "Des commentaires dans la marge plutôt qu'une réécriture : j'ai "
     "appris à relire mes propres pages."),
    (("programme des chantiers",), "Le programme des chantiers du samedi est devenu lisible : "
     "horaires, matériel à apporter, et un mot d'accueil pour les nouveaux."),
    (("lancer la lettre",), "Notre première lettre d'information est partie : un modèle simple, "
     "trois rubriques, et un rythme d'envoi qu'on arrive à tenir."),
    (("lancer la lettre",), "{first} nous a évité l'usine à gaz : une lettre par mois, écrite à "
     "plusieurs, et déjà des réponses de nos adhérents."),
    (("mise en page de sa lettre",), "La lettre a enfin une mise en page qu'on a envie d'ouvrir, "
     "avec un modèle que je réutilise chaque mois."),
    (("communiqué de presse",), "Le communiqué pour la sortie de l'album a été repris par deux "
     "journaux locaux : {first} avait trouvé le bon angle."),
    (("relations presse",), "{first} a trouvé l'angle qui a fait venir une journaliste de la radio "
     "locale au festival."),
    (("relations presse",), "Un communiqué d'une page au lieu de trois, et une liste de contacts "
     "presse triée par rubrique."),
    (("monter le site",), "Le site de la coop est en ligne, simple, et on sait le mettre à jour "
     "nous-mêmes."),
    (("WordPress",), "{first} m'a appris à publier mes actualités sur WordPress sans rien casser. "
     "Je ne dépends plus de personne."),
    (("podcasts",), "Le site de podcasts est en ligne, avec un lecteur utilisable au clavier et des "
     "épisodes bien rangés."),
    (("mise en ligne de son portfolio",), "Mon portfolio charge vite, même avec le réseau de la "
     "campagne, et il se lit bien sur téléphone."),
    (("maquettes",), "Mes maquettes ont été démontées avec bienveillance : je sais maintenant ce "
     "qui coûte cher à développer, et pourquoi."),
    (("maquettes",), "Une après-midi à passer mes écrans en revue avec {first} : trois composants "
     "simplifiés, et un prototype qui tient la route."),
    (("site vitrine clair",), "Un site vitrine clair en deux séances, avec une page contact qui "
     "fonctionne vraiment."),
    (("site vitrine clair",), "L'atelier a enfin sa page sur internet, avec les horaires, des "
     "photos et un plan pour venir."),
    (("refaire mon site",), "Mon site de traductrice a retrouvé une structure claire, en trois "
     "langues, avec un formulaire qui marche."),
    (("qui-fait-quoi de son projet",), "Le qui-fait-quoi du projet de site est posé noir sur "
     "blanc : on a enfin arrêté de tourner en rond."),
    (("accessibilité",), "L'audit d'accessibilité a trouvé onze problèmes sur notre formulaire ; "
     "on en a corrigé neuf dans la semaine."),
    (("référencement", "Google n'est pas"), "Une heure pour comprendre mon référencement, et trois "
     "actions concrètes faites le soir même."),
    (("fiche Google",), "La fiche Google de la coop est complète : horaires, photos, et déjà des "
     "appels de nouveaux clients."),
    (("page publique du réseau",), "La page publique du réseau sort enfin quand on cherche "
     "« tiers-lieux Archipel », et tout a été expliqué sans jargon."),
    (("collectif qui coince",), "Notre réunion qui coinçait depuis trois mois s'est dénouée en une "
     "soirée. Le tour de météo du début a tout changé."),
    (("collectif qui coince",), "{first} a posé un cadre simple, un bâton de parole et un "
     "minuteur, et nous avons enfin tranché entre les deux projets."),
    (("consentement",), "Décision par consentement tenue en quarante minutes, objections "
     "comprises : du jamais vu au coworking."),
    (("forum ouvert",), "Le forum ouvert était préparé au cordeau, tout en laissant la place aux "
     "participant·es."),
    (("projet coopératif",), "{first} a posé un tableau « qui fait quoi, pour quand » que nous "
     "utilisons encore chaque lundi."),
    (("projet coopératif",), "L'épicerie coopérative a maintenant un rétroplanning, et chacun·e "
     "sait ce qu'on attend de sa part."),
    (("co-animer",), "Co-animer avec {first}, c'est rassurant : on s'est réparti les rôles en dix "
     "minutes, et la formation à distance a coulé toute seule."),
    (("première réunion de coordination",), "Des conseils très concrets pour ma première réunion "
     "de coordination : minuteur, tour de parole et relevé de décisions."),
    (("réunion d'équipe de la CAE",), "La réunion d'équipe de la CAE a abouti à des décisions, "
     "notées et partagées le soir même."),
    (("projet associatif",), "Une réunion d'équipe enfin utile : l'ordre du jour a été tenu, et "
     "chacun·e est reparti·e avec une tâche claire."),
    (("intervention",), "Mon intervention à la réunion inter-lieux tenait en trois temps, avec une "
     "phrase d'ouverture que j'ai gardée telle quelle."),
    (("atelier sur les données",), "Le déroulé de mon premier atelier tenait sur une page, avec un "
     "exercice sur de vraies données du Quai. Il a très bien marché."),
    (("prise de parole en public",), "Je suis passé·e devant les financeurs sans trembler, grâce "
     "aux exercices de respiration et au plan en trois points."),
    (("prise de parole en public",), "L'atelier m'a appris à ralentir et à regarder la salle. On "
     "me l'a fait remarquer dès la réunion suivante."),
    (("prise de parole à la réunion",), "Une heure de répétition bienveillante avant la réunion "
     "coopérative, et j'ai tenu mes cinq minutes pile."),
    (("tension",), "La séance a permis aux deux collègues de se reparler. Rien de magique, juste un "
     "cadre très sûr."),
    (("tension",), "{first} a aidé l'équipe à nommer ce qui s'était mal passé, sans chercher de "
     "coupable. On repart sur de meilleures bases."),
    (("cercle de parole entre",), "Le cercle de parole m'a fait un bien fou : je ne suis pas la "
     "seule personne du réseau à travailler le dimanche."),
    (("médiation",), "{first} a mené la médiation avec calme ; les deux bénévoles tiennent à "
     "nouveau le stand ensemble."),
    (("coaching",), "Avant mon rendez-vous difficile, on a préparé mes trois phrases clés. Le "
     "client a accepté le nouveau devis."),
    (("portraits pro",), "Des portraits naturels, pris en vingt minutes entre deux rendez-vous : ma "
     "photo de profil ne date plus de dix ans."),
    (("portraits pour sa page",), "Douze photos retouchées livrées le lendemain, exactement la "
     "lumière que j'espérais."),
    (("photos pour la page",), "Des photos lumineuses pour mon site, prises au coworking un matin "
     "de soleil. On me demande qui les a faites."),
    (("photos culinaires",), "Les photos de la carte donnent faim : les commandes en ligne ont "
     "suivi dès la première semaine."),
    (("photographier",), "J'ai appris à cadrer les photos de mes articles avec la lumière de la "
     "fenêtre. Simple et efficace."),
    (("vidéo de présentation",), "La vidéo de présentation du cercle est sobre et touchante ; tout "
     "le monde a demandé qui l'avait montée."),
    (("sous-titrer",), "Nos vidéos sont sous-titrées, et une adhérente sourde nous a écrit pour "
     "nous remercier."),
    (("sous-titrer",), "{first} m'a aussi expliqué comment préparer mes prochaines vidéos pour "
     "qu'elles soient faciles à sous-titrer."),
    (("prise de son",), "Prise de son impeccable, sans le souffle du ventilateur qui gâchait toutes "
     "mes formations."),
    (("petite vidéo",), "Une petite vidéo du Repair Café montée en une soirée, rythmée et drôle ; "
     "elle a beaucoup tourné."),
    (("rushes",), "Mes rushes sont sauvegardés en double et mon portable a retrouvé de la place : "
     "je peux monter sans angoisse."),
    (("fiches pratiques",), "Mes fiches pratiques sont devenues lisibles : une hiérarchie claire, "
     "deux couleurs, et on trouve l'info en un coup d'œil."),
    (("fiches pratiques",), "{first} a proposé une maquette commune pour toutes mes fiches ; la "
     "TVA n'a jamais été aussi jolie."),
    (("affiche de l'atelier couture",), "L'affiche de l'atelier couture est si jolie que des gens "
     "l'ont décrochée pour la garder."),
    (("illustrer",), "{first} a illustré notre livret d'atelier avec humour ; les enfants se "
     "l'arrachent."),
    (("livret de recettes",), "La mise en page du livret de recettes est sobre et gourmande à la "
     "fois, une recette par double page."),
    (("repenser mon portfolio",), "Mon portfolio tourne maintenant autour de trois séries, et la "
     "maquette imprimable est superbe."),
    (("repenser mon portfolio",), "Un regard neuf sur mes images : {first} a osé écarter mes "
     "photos préférées, à raison."),
    (("tote-bags",), "Vingt tote-bags sérigraphiés, nets et bien centrés, prêts pour le stand du "
     "samedi."),
    (("menuiserie",), "J'ai fabriqué ma première étagère à l'atelier bois, et elle tient droit ! "
     "{first} ne m'a jamais pris les outils des mains."),
    (("menuiserie",), "Affûtage d'un ciseau, assemblage à tenon et mortaise : trois heures "
     "passionnantes, et des consignes de sécurité claires."),
    (("chaises bancales",), "Les deux chaises de ma grand-mère ne boitent plus, et j'ai appris à "
     "recoller un barreau moi-même."),
    (("chaise et d'un tabouret",), "Chaise et tabouret recollés, poncés et cirés : ils ont retrouvé "
     "leur place autour de la table."),
    (("établi",), "L'établi du Repair Café est de nouveau stable, avec un plateau neuf en chêne de "
     "récup."),
    (("étagères",), "Trois étagères en chêne de récup, fixées au mur de la réserve : la cantine a "
     "gagné un mètre carré."),
    (("miellerie",), "La porte de la miellerie ferme enfin sans coup d'épaule ; {first} a même "
     "ajouté un joint contre les courants d'air."),
    (("scie circulaire",), "Moteur de la scie nettoyé, charbons changés : elle a repris du service "
     "à l'atelier dès le lendemain."),
    (("ourlets",), "Ma veste préférée a une fermeture éclair neuve, et j'ai appris à faire mes "
     "ourlets à la main."),
    (("ourlets",), "Six ourlets en une matinée, et des astuces pour ne plus jamais couper trop "
     "court."),
    (("tabliers",), "Douze tabliers solides et jolis, dont deux taille enfant : la cantine n'a "
     "jamais eu autant d'allure."),
    (("doublure",), "La doublure de mon manteau est comme neuve, et la reprise ne se voit pas."),
    (("rideaux",), "Les rideaux de la cantine sont ourlés à la bonne longueur, enfin."),
    (("grille-pain",), "Bouilloire et grille-pain réparés : un fusible, un thermostat, et deux "
     "appareils qui ne finiront pas à la déchetterie."),
    (("petit électroménager",), "Mon aspirateur ne s'arrête plus au bout de deux minutes : {first} "
     "m'a montré le filtre à nettoyer, tout simplement."),
    (("lampe de montage",), "Ma lampe de montage ne clignote plus : un interrupteur à changer, et "
     "j'ai compris comment le faire."),
    (("enregistreur",), "L'enregistreur remarche, juste à temps pour les entretiens en portugais. "
     "Réparation propre, et expliquée."),
    (("tableau électrique",), "Je sais enfin lire mon tableau électrique, et j'ai changé deux "
     "luminaires sans rien faire sauter."),
    (("impression 3D d'une pièce",), "La pièce imprimée tient parfaitement dans l'aspirateur ; "
     "{first} a repris le modèle deux fois pour qu'elle s'emboîte."),
    (("prototype",), "Mon croquis est devenu un prototype en une soirée au fablab, avec chaque "
     "réglage de l'imprimante expliqué."),
    (("mise à jour ratée",), "Mon ordinateur remarche après la mise à jour ratée, et les "
     "sauvegardes sont maintenant automatiques."),
    (("vieil ordinateur",), "Mon vieux portable démarre en trente secondes sous Linux, et {first} "
     "m'a laissé une fiche pour les gestes de base."),
    (("vieil ordinateur",), "L'ordinateur qui dormait dans un placard sert maintenant aux devoirs "
     "des enfants, avec un navigateur et un traitement de texte."),
    (("portables du Repair Café",), "Deux portables du Repair Café installés sous Linux, avec les "
     "logiciels dont les familles ont vraiment besoin."),
    (("ordinateurs de récup",), "La salle de formation a six postes qui fonctionnent, installés et "
     "testés avant l'arrivée du groupe."),
    (("imprimante",), "L'imprimante de la ferme imprime depuis tous les ordinateurs, même celui de "
     "la grange."),
    (("wifi",), "Le wifi de la ferme tient enfin quand on est plus de trois, et les fichiers "
     "partagés ne disparaissent plus."),
    (("messagerie",), "Messagerie et calendrier partagé réglés sur tous mes appareils ; je ne rate "
     "plus une réunion."),
    (("photos de la ferme",), "Toutes les photos de la ferme sont sur un disque, triées par année, "
     "avec une copie ailleurs."),
    (("lacto-fermentation : les",), "J'ai sauvé mes kilos de chou : bocaux, sel, patience, et "
     "{first} pour les bons gestes."),
    (("bocaux de lacto",), "Ma première choucroute est réussie, grâce aux proportions notées "
     "ensemble pendant l'initiation."),
    (("conserves",), "L'atelier conserves a rempli la salle de la fête de quartier ; les enfants "
     "sont repartis avec leur bocal."),
    (("arbres fruitiers",), "Les pommiers du verger sont taillés, et j'ai compris pourquoi on coupe "
     "au-dessus d'un œil."),
    (("balcon",), "Visite du jardin passionnante, et des conseils précis pour mon balcon plein "
     "nord. Les fraises ont tenu."),
    (("covoiturage",), "Un covoiturage ponctuel et une conversation passionnante sur la route : le "
     "mardi matin est devenu agréable."),
    (("covoiturage",), "{first} m'a attendu·e malgré mes cinq minutes de retard, et déposé·e pile "
     "à l'heure à Dieulefit."),
    (("stock de tissus",), "Le stock de tissus est arrivé à L'Écluse en un seul voyage, bien calé "
     "dans le camion."),
    (("planches",), "Les planches de récupération sont arrivées entières à l'atelier, sanglées "
     "comme il faut."),
    (("buvette",), "Camion, planning des bénévoles et buvette : notre fête a tourné sans accroc."),
    (("tester votre service",), "Trois vrais usagers ont testé notre formulaire devant nous : on a "
     "découvert en une heure ce qu'on ne voyait plus."),
    (("tester votre service",), "{first} a préparé des scénarios de test simples ; le compte rendu "
     "tient sur une page et on l'a suivi à la lettre."),
    (("formulaire d'adhésion",), "Trois tests, trois blocages au même endroit : le champ date de "
     "naissance a disparu, et les adhésions en ligne ont décollé."),
    (("suivi de ses piges",), "Mon tableau de suivi des piges me dit enfin qui a payé et qui doit "
     "encore."),
    (("fichier Excel",), "Le fichier d'adhérents a fondu : une seule colonne e-mail, plus de "
     "doublons, et un onglet de contrôle."),
]  # fmt: skip

# When no sentence above fits the title.
RECEIVED_ANY = [
    "Exactement l'aide qu'il me fallait, au bon moment.",
    "{first} a pris le temps de comprendre ma demande avant de proposer quoi que ce soit.",
    "Un coup de main efficace, et des explications que j'ai pu réutiliser seul·e.",
    "Tout a été fait comme convenu, dans le temps annoncé.",
    "J'ai appris plus en une séance qu'en des heures de tutoriels.",
]

# What the receiver may add about the person.
PERSON = [
    "Ponctualité, bonne humeur et café offert : que demander de plus ?",
    "Très pédagogue, sans jamais faire à ma place.",
    "Je recommande sans hésiter.",
    "Un vrai plaisir d'apprendre à ses côtés.",
    "On sent l'expérience, et l'envie de transmettre.",
    "Tout était prêt à mon arrivée.",
    "Les explications restent claires même quand le sujet ne l'est pas.",
    "Je reviendrai avec plaisir pour la suite.",
    "Beaucoup d'écoute, et des conseils adaptés à ma situation plutôt que des recettes toutes "
    "faites.",
    "À recommander à celles et ceux qui hésitent à demander de l'aide.",
    "Un message de suivi quelques jours après, très apprécié.",
    "Simple, efficace, chaleureux.",
    "Le temps annoncé a été tenu à la minute.",
    "Je me suis senti·e à l'aise tout de suite.",
    "Merci aussi pour les ressources envoyées le soir même.",
    "Franchise et gentillesse, un bon mélange.",
    "Sans jargon, et sans jamais me faire sentir bête.",
    "Une rencontre du réseau comme je les aime.",
]

# What the one who gave the time says of the receiver: by words of the title, then any.
GAVE = [
    (("vélo",), "Le vélo est arrivé propre, ce qui n'est pas si fréquent, et {first} a tenu à "
     "tout faire de ses mains."),
    (("TVA", "comptabilité", "bilan", "facturation", "URSSAF"), "Toutes les factures étaient "
     "triées par mois avant même mon arrivée : le rêve."),
    (("traduction",), "Un texte source propre et le contexte bien expliqué : ça facilite beaucoup "
     "la traduction."),
    (("monter le site", "site vitrine clair", "refaire mon site", "WordPress", "site associatif"),
     "Les textes et les images étaient prêts avant la première séance : le "
     "site s'est presque monté tout seul."),
    (("menuiserie", "chaise", "étagères", "établi"), "Très attentif·ve aux consignes de sécurité à "
     "l'atelier, et des coupes déjà très propres."),
    (("collectif qui coince", "forum ouvert", "assemblée générale", "consentement",
      "réunion d'équipe"),
     "Un collectif qui a joué le jeu du début à la fin, même quand ça tanguait."),
    (("ourlets", "tabliers", "doublure"), "Tissus lavés et repassés avant de venir : un vrai gain "
     "de temps."),
    (("portraits", "photos pour la page"), "Très à l'aise devant l'objectif, la séance a filé."),
    (("ordinateur", "Linux", "portables", "sauvegarde"), "Les mots de passe notés et les données "
     "déjà triées : tout est allé deux fois plus vite."),
    (("arbres fruitiers",), "Sécateurs affûtés et échelle prête : on a pu se concentrer sur la "
     "taille, arbre par arbre."),
    (("subvention", "relecture"), "Un texte déjà bien avancé, et une vraie ouverture aux "
     "suggestions, même quand je coupais beaucoup."),
]  # fmt: skip
GAVE_ANY = [
    "Questions précises et documents prêts : une séance très efficace.",
    "Accueil chaleureux et café prêt : on a commencé du bon pied.",
    "{first} avait bien préparé sa demande, ce qui nous a fait gagner un temps fou.",
    "Un échange simple et agréable ; les heures ont été confirmées le jour même.",
    "Très à l'écoute, et déjà en train d'appliquer les conseils avant la fin de la séance.",
    "Merci pour la confiance, et pour les nouvelles quelques jours plus tard : ça fait plaisir de "
    "savoir que ça a servi.",
    "Rendez-vous tenu, demande claire, bonne humeur : tout ce qu'il faut.",
    "J'ai appris autant que j'ai transmis, grâce aux questions {de_first}.",
    "Une demande bien cadrée dès le départ, c'est rare et précieux.",
    "Ponctualité parfaite, et le matériel était déjà sur la table.",
    "Échange fluide du début à la fin, jusqu'à la confirmation des heures.",
    "{first} a pris des notes et m'a renvoyé un résumé le soir même.",
    "Très bonne ambiance, on a même fini en avance.",
    "Beaucoup de curiosité, et aucune gêne à dire quand ce n'était pas clair.",
    "Merci pour l'accueil et le déjeuner partagé après la séance.",
    "Une vraie rencontre, au-delà du service rendu.",
    "Une demande précise, et beaucoup de souplesse quand on a dû changer de plan.",
    "Un échange qui donne envie d'en proposer d'autres.",
    "On a bien travaillé à deux, et {first} a confirmé les heures dans la foulée.",
    "Content·e d'avoir pu aider : la suite est entre de bonnes mains.",
    "Toujours partant·e pour essayer, même quand ça ne marchait pas du premier coup.",
    "{first} en savait déjà plus qu'annoncé : on a pu aller loin.",
    "Une séance détendue, où on a beaucoup ri sans perdre le fil.",
    "Le lieu était prêt, le thé aussi : on s'est mis au travail tout de suite.",
    "Un échange équilibré : j'ai donné du temps, et je repars avec de bonnes idées.",
    "Bonne énergie du début à la fin, et les heures confirmées sans attendre.",
    "On a pris le temps de faire les choses bien, sans se presser.",
    "{first} a osé poser toutes ses questions, et c'est comme ça qu'on avance.",
    "Merci pour le petit mot de remerciement envoyé le lendemain !",
    "Des questions pertinentes, et un grand merci à la fin : ça fait chaud au cœur.",
]

# What the giver may add, so that no two comments read the same.
GAVE_MORE = [
    "À refaire quand tu veux !",
    "Au plaisir de se recroiser au lieu.",
    "Bonne continuation pour la suite du projet.",
    "Je garde un très bon souvenir de cette séance.",
    "Ma porte reste ouverte pour la suite.",
    "Je referai appel sans hésiter.",
    "Merci pour le café, aussi !",
    "Une très belle rencontre.",
    "Bravo pour le chemin parcouru depuis.",
    "Merci pour ta confiance.",
    "Je recommande sans réserve.",
    "On remet ça quand tu veux.",
]

# Neutral, calm, about what did not quite work.
NEUTRAL_RECEIVED = [
    "Le résultat est là, mais les explications allaient vite pour moi : j'aurais aimé plus de temps "
    "pour poser mes questions.",
    "Échange correct. On a perdu une bonne demi-heure à trouver un créneau et un lieu, ce qui a "
    "raccourci la séance.",
    "Utile, même si on s'est un peu dispersé·es : la moitié du temps est partie sur autre chose que "
    "ma demande.",
    "Utile, mais il a fallu relancer deux fois pour fixer le rendez-vous.",
    "Bien pour une première approche ; pour aller plus loin, il me faudra chercher ailleurs.",
    "Sympathique et compétent·e, mais la séance a commencé avec trois quarts d'heure de retard.",
    "Des conseils justes, un peu trop généraux pour ma situation.",
    "Ça a fini par marcher, au prix de deux séances au lieu d'une, sans que je sache trop pourquoi.",
]
NEUTRAL_GAVE = [
    "Bon moment, mais la demande a beaucoup changé en cours de route : mieux vaut la préciser avant "
    "la prochaine fois.",
    "Tout s'est bien passé sur place ; en revanche, la confirmation des heures a traîné.",
    "Agréable, même si je n'ai pas eu de nouvelles de la suite : j'aimerais savoir si ça a servi.",
    "Un peu de retard au rendez-vous et quelques documents manquants, mais on s'en est sorti.",
    "Correct. J'aurais aimé qu'on fixe mieux ensemble ce qu'on voulait obtenir avant de commencer.",
]

NEUTRAL_MORE = [
    "Rien de grave, mais c'est bon à savoir.",
    "Je referais un échange, en fixant mieux le cadre.",
    "Merci quand même pour le temps donné.",
    "Au plaisir d'un prochain échange.",
    "Au plaisir.",
]

# Does not recommend: factual and calm, each with the reply of the member it is about.
NOT_RECOMMENDED_RECEIVED = [
    ("Le rendez-vous a été déplacé deux fois, la veille à chaque fois, et la séance a duré moins "
     "d'une heure sur les deux prévues. Ce qu'on a fait était juste, mais je ne peux pas "
     "recommander pour l'instant.",
     "C'est exact, et je m'en excuse : ce mois-là, j'ai très mal tenu mon agenda. Je te propose "
     "volontiers une nouvelle séance, complète cette fois."),
    ("Le travail rendu ne correspondait pas à ce qu'on avait convenu au départ, et mes messages "
     "sont restés sans réponse pendant une semaine. On a fini par trouver une solution, mais je "
     "préfère le dire simplement.",
     "Merci de l'avoir dit calmement. J'avais compris la demande autrement ; depuis, j'écris ce "
     "qu'on convient avant de commencer."),
]  # fmt: skip
NOT_RECOMMENDED_GAVE = [
    ("Personne au premier rendez-vous, et pas de message pour prévenir. La séance suivante s'est "
     "bien passée, mais je me suis déplacé·e deux fois pour une.",
     "C'est vrai pour le premier rendez-vous : un train supprimé et un téléphone à plat. J'aurais "
     "dû prévenir dès que possible, désolé·e."),
    ("Rien de ce qui était convenu n'était prêt, et il a fallu tout reprendre sur place ; on a "
     "largement dépassé l'heure prévue. À mieux préparer la prochaine fois.",
     "Tu as raison, j'étais venu·e les mains presque vides. Merci d'avoir pris le temps quand "
     "même."),
]  # fmt: skip

# The exchange a coordinator settled after a dispute: the one who disputed, then the other.
DISPUTED = (
    "Le travail est bien fait. Nous n'étions pas d'accord sur le temps à compter ; la coordination "
    "a tranché, et ça me va. Neutre sur la durée, pas sur la qualité.",
    "Un désaccord sur les heures, réglé par la coordination sans histoire. J'aurais dû séparer dès "
    "le départ ce qui comptait et ce qui ne comptait pas.",
)
DISPUTED_REPLY = (
    "Merci, et d'accord avec la décision de la coordination. La prochaine fois, on note ensemble "
    "ce qui compte avant de commencer."
)

REPLY_NEUTRAL = [
    "Merci pour ta franchise, {first}. La prochaine fois, je bloque vraiment le temps prévu.",
    "Je comprends. J'ai tendance à aller vite : n'hésite pas à m'arrêter, je reprends volontiers "
    "les explications.",
    "Merci pour ce retour honnête. Je reste disponible si tu veux qu'on termine ce qui manque.",
]
REPLY_THANKS = [
    "Merci {first} ! Ravi·e que ça te serve encore.",
    "Merci pour ce retour, {first}. Tiens-moi au courant de la suite !",
    "Avec plaisir ! La prochaine fois, c'est toi qui m'apprends quelque chose.",
    "Merci {first}, c'était un vrai plaisir. Mon annonce reste ouverte si besoin.",
    "Touché·e, merci. À bientôt au Care'n Share !",
    "Merci ! J'ai vu le résultat depuis, bravo pour la suite.",
]

# The comment a coordinator hid, at the request of the member it is about.
HIDDEN_COMMENT = (
    "Travail rapide et soigné, je recommande. Et pour aller plus vite que par ici, son numéro "
    "perso : 06 41 27 88 13, ça répond même le dimanche."
)
HIDDEN_REPORT = (
    "C'est mon numéro personnel : je préfère qu'il ne soit pas affiché sur mon profil. Le reste "
    "du retour me va très bien !"
)
HIDDEN_REASON = (
    "Le commentaire donnait le numéro de téléphone personnel {de_first} : masqué à sa demande, "
    "les coordonnées ne s'affichent pas sur un profil public. La recommandation reste."
)

# ---------------------------------------------------------------------------- the plan


@dataclass
class _Note:
    """One feedback, decided before it is written."""

    exchange: Exchange
    author: User
    subject: User
    at: datetime
    recommendation: str = "recommends"
    comment: str = ""
    skills: list[Skill] = field(default_factory=list)
    updated_at: datetime | None = None
    visible_from: datetime | None = None
    announced_at: datetime | None = None
    reply: str = ""
    replied_at: datetime | None = None
    row: Feedback | None = None

    @property
    def by_receiver(self) -> bool:
        return self.author.id == self.exchange.receiver_id


@dataclass
class _World:
    rng: random.Random
    now: datetime
    zone: ZoneInfo
    users: dict[str, User]
    logins: set[int]
    used: Counter = field(default_factory=Counter)  # sentence -> times used
    comments: set[str] = field(default_factory=set)  # those written so far
    # Works (exchange titles) some comment already speaks of: the first word on each is concrete.
    spoken_of: set[str] = field(default_factory=set)

    def awake(self, moment: datetime) -> datetime:
        """The moment, or the next morning when it falls in the night (Paris time)."""
        local = moment.astimezone(self.zone)
        minutes = self.rng.randint(0, 150)
        if 8 <= local.hour < 22:
            return moment
        if local.hour >= 22:
            local += timedelta(days=1)
        morning = local.replace(hour=8, minute=0, second=0, microsecond=0)
        return (morning + timedelta(minutes=minutes)).astimezone(moment.tzinfo)

    def job_after(self, moment: datetime) -> datetime:
        """The next nightly run of `flask feedback publish` after the moment."""
        local = moment.astimezone(self.zone)
        run = local.replace(hour=JOB_HOUR, minute=0, second=0, microsecond=0)
        if run <= local:
            run += timedelta(days=1)
        return run.astimezone(moment.tzinfo)

    def pick(self, texts: list[str]) -> str:
        """One of the texts used least so far (so that none repeats while others wait)."""
        fewest = min(self.used[t] for t in texts)
        text = self.rng.choice([t for t in texts if self.used[t] == fewest])
        self.used[text] += 1
        return text


def _first(user: User) -> str:
    return user.display_name.split()[0]


def _de(first: str) -> str:
    """« de Sofia », « d'Amandine », « d'Hélène »."""
    return f"d'{first}" if fold(first)[:1] in tuple("aeiouh") else f"de {first}"


def _matching(pool, title: str) -> list[str]:
    """The texts whose words start a word of the title (accents and case aside)."""
    folded = fold(title)
    return [
        text
        for words, text in pool
        if any(re.search(r"(?<!\w)" + re.escape(fold(word)), folded) for word in words)
    ]


def add(rng: random.Random, now: datetime) -> None:
    """Write the feedback of the demo's confirmed exchanges, and commit (after the exchanges)."""
    w = _World(
        rng=rng,
        now=now,
        zone=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]),
        users={u.display_name: u for u in db.session.scalars(select(User).order_by(User.id))},
        logins=_logins(),
    )
    confirmed = list(
        db.session.scalars(
            select(Exchange)
            .where(Exchange.state == "confirmed")
            .order_by(Exchange.id)
            .options(
                selectinload(Exchange.listing).selectinload(Listing.skills),
                selectinload(Exchange.provider).selectinload(User.skills),
                selectinload(Exchange.receiver),
            )
        )
    )
    forced = _shape(w, confirmed)
    planned = {e.id: _plan(w, e, forced.get(e.id, {})) for e in confirmed}
    _answered_lately(w, confirmed, planned, forced)
    notes = [note for found in planned.values() for note in found]
    for note in notes:
        _words(w, note, forced.get(note.exchange.id, {}))
    _times(w, notes)
    _replies(w, notes)
    hidden = _hidden_candidate(w, notes)
    _write(w, notes, hidden)
    db.session.commit()


def _logins() -> set[int]:
    """Who `demo.print_logins` lists: the admin, the first coordinator of each space, the first
    two members who coordinate nothing. What waits for them is worth a look."""
    admin = db.session.scalar(select(User.id).where(User.is_admin.is_(True)).order_by(User.id))
    found = {admin}
    first: dict[int, int] = {}
    plain: set[int] = set()
    coordinating: set[int] = set()
    for m in db.session.scalars(
        select(Membership).where(Membership.status == "active").order_by(Membership.id)
    ):
        if m.role == "coordinator":
            first[m.space_id] = min(first.get(m.space_id, m.user_id), m.user_id)
            coordinating.add(m.user_id)
        elif m.user_id != admin:
            plain.add(m.user_id)
    found.update(first.values())
    found.update(sorted(plain - coordinating)[:2])
    return found


def _closed_windows(w: _World, exchanges: list[Exchange]) -> list[Exchange]:
    return [e for e in exchanges if feedback.window_end(e) <= w.now - timedelta(days=1)]


def _shape(w: _World, confirmed: list[Exchange]) -> dict[int, dict[int, str]]:
    """The profiles shaped on purpose: exchange id -> {author id: recommendation} for the
    feedback that must be written, or "none" for the one that must not be."""
    forced: dict[int, dict[int, str]] = defaultdict(dict)
    veteran, mixed, quiet = (w.users.get(name) for name in (VETERAN, MIXED, QUIET))
    for exchange in confirmed:
        parties = exchange.parties()
        if veteran is not None and veteran.id in parties:
            forced[exchange.id][exchange.other_party(veteran.id)] = "recommends"
        if quiet is not None and quiet.id in parties:
            forced[exchange.id][exchange.other_party(quiet.id)] = "none"
    if mixed is not None:
        # One counterpart does not recommend them, another is neutral: their latest feedback
        # (a voice is its latest), on an exchange whose window has closed; they write nothing on
        # the exchanges still open. Those with a single exchange first. The others recommend.
        closed = {e.id for e in _closed_windows(w, confirmed)}
        by_counterpart: dict[int, list[Exchange]] = defaultdict(list)
        for exchange in confirmed:
            if mixed.id in exchange.parties():
                by_counterpart[exchange.other_party(mixed.id)].append(exchange)
        candidates = sorted(
            (c for c, found in by_counterpart.items() if any(e.id in closed for e in found)),
            key=lambda c: (len(by_counterpart[c]), by_counterpart[c][0].id),
        )
        shaped = dict(zip(candidates, ("not_recommended", "neutral"), strict=False))
        for counterpart, found in by_counterpart.items():
            last = max(
                (e for e in found if e.id in closed), key=lambda e: e.closed_at, default=None
            )
            for exchange in found:
                if exchange.id not in closed:
                    if counterpart in shaped:
                        forced[exchange.id][counterpart] = "none"
                elif exchange is last:
                    forced[exchange.id][counterpart] = shaped.get(counterpart, "recommends")
                else:
                    forced[exchange.id][counterpart] = "recommends"
    # Two more members who were not recommended once, by someone else than their other voices.
    shaped_ids = {u.id for u in (veteran, mixed, quiet) if u is not None}
    others = [
        e
        for e in _closed_windows(w, confirmed)
        if not set(e.parties()) & shaped_ids and e.resolved_by_id is None
    ]
    picked: set[int] = set()
    for exchange in w.rng.sample(others, min(len(others), 12)):
        if len(picked) == 2 * UNRECOMMENDED_EXTRA or set(exchange.parties()) & picked:
            continue
        author = exchange.receiver if len(picked) % 4 == 0 else exchange.provider
        forced[exchange.id][author.id] = "not_recommended"
        picked.update(exchange.parties())
    return forced


def _plan(w: _World, exchange: Exchange, forced: dict[int, str]) -> list[_Note]:
    """Who writes on this exchange, and when (within the window, and before now)."""
    closed, ends = exchange.closed_at, feedback.window_end(exchange)
    is_open = ends > w.now
    latest = min(ends - timedelta(hours=1), w.now - timedelta(minutes=15))
    provider, receiver = exchange.provider, exchange.receiver
    share = RECENT_SHARE if is_open else HISTORY_SHARE
    draw = w.rng.random()
    how = "both" if draw < share["both"] else "one" if draw < share["both"] + share["one"] else ""
    first, second = (receiver, provider) if w.rng.random() < 0.55 else (provider, receiver)
    if is_open:
        # A demo log-in finds the other side's feedback waiting for theirs.
        waiting = [p for p in (provider, receiver) if p.id in w.logins]
        if waiting and w.rng.random() < 0.7:
            how = "one"
            second = w.rng.choice(waiting)
            first = receiver if second is provider else provider
    wanted = {a for a, rec in forced.items() if rec != "none"}
    banned = {a for a, rec in forced.items() if rec == "none"}
    if wanted and how != "both":
        how = "both" if len(wanted) == 2 or (how == "" and w.rng.random() < 0.5) else "one"
        if how == "one":
            first = next(p for p in (provider, receiver) if p.id in wanted)
            second = receiver if first is provider else provider
    writers = {"both": [first, second], "one": [first], "": []}[how]
    writers = [u for u in writers if u.id not in banned]
    notes: list[_Note] = []
    previous = closed
    for i, author in enumerate(writers):
        at = w.awake(previous + _delay(w.rng, first=i == 0))
        if at > latest and author.id in wanted and not is_open:  # sooner, then
            at = w.awake(previous + timedelta(hours=w.rng.uniform(1, 10)))
        if at > latest:
            break
        subject = receiver if author is provider else provider
        notes.append(_Note(exchange, author, subject, at))
        previous = at
    return notes


def _answered_lately(
    w: _World,
    confirmed: list[Exchange],
    planned: dict[int, list[_Note]],
    forced: dict[int, dict[int, str]],
) -> None:
    """At least one exchange of the last 14 days already has both feedback, shown together
    (the one with the most room, preferably not one a demo log-in is waiting on)."""
    still_open = [e for e in confirmed if feedback.window_end(e) > w.now]
    if any(len(planned[e.id]) == 2 for e in still_open):
        return

    def waits_on_login(e: Exchange) -> bool:
        return any(n.subject.id in w.logins for n in planned[e.id])

    for exchange in sorted(still_open, key=lambda e: (waits_on_login(e), e.closed_at)):
        found = planned[exchange.id]
        latest = min(
            feedback.window_end(exchange) - timedelta(hours=1), w.now - timedelta(minutes=15)
        )
        banned = {a for a, rec in forced.get(exchange.id, {}).items() if rec == "none"}
        if banned:
            continue
        if found:
            first = found[0]
        else:
            at = w.awake(exchange.closed_at + timedelta(hours=w.rng.uniform(2, 20)))
            first = _Note(exchange, exchange.receiver, exchange.provider, at)
        at = w.awake(first.at + timedelta(hours=w.rng.uniform(1, 20)))
        if at <= latest:
            found[:] = [first, _Note(exchange, first.subject, first.author, at)]
            return


def _delay(rng: random.Random, *, first: bool) -> timedelta:
    """How long after the confirmation (the first) or the first feedback (the second)."""
    draw = rng.random()
    if draw < (0.55 if first else 0.5):
        return timedelta(hours=rng.uniform(2, 30) if first else rng.uniform(1, 36))
    if draw < 0.88:
        return timedelta(days=rng.uniform(1.2, 4) if first else rng.uniform(1.5, 5))
    return timedelta(days=rng.uniform(4, 11) if first else rng.uniform(5, 10))


def _words(w: _World, note: _Note, forced: dict[int, str]) -> None:
    """The recommendation, the comment and the skills of a feedback."""
    exchange, first = note.exchange, _first(note.subject)
    rec = forced.get(note.author.id) or ""
    if exchange.resolved_by_id is not None:  # settled by a coordinator after a dispute
        disputer = note.author.id != exchange.logged_by_id
        note.recommendation = rec or ("neutral" if disputer else "recommends")
        note.comment = DISPUTED[0 if disputer else 1]
        return
    if not rec:
        rec = "neutral" if w.rng.random() < (0.1 if note.by_receiver else 0.08) else "recommends"
    note.recommendation = rec
    if rec == "not_recommended":
        replies = dict(NOT_RECOMMENDED_RECEIVED if note.by_receiver else NOT_RECOMMENDED_GAVE)
        note.comment = w.pick(list(replies))
        note.reply = replies[note.comment]
        return
    if rec == "neutral":
        pool = NEUTRAL_RECEIVED if note.by_receiver else NEUTRAL_GAVE
        note.comment = _compose(w, pool, NEUTRAL_MORE, 0.2, first)
        if note.by_receiver and w.rng.random() < 0.4:
            note.skills = _skills(w, exchange, note.author, 1)
        return
    if note.by_receiver:
        note.skills = _skills(w, exchange, note.author, w.rng.choice([0, 1, 1, 2, 2, 3]))
        if note.subject.display_name == VETERAN and not note.skills:
            note.skills = _skills(w, exchange, note.author, 2)
        if w.rng.random() < 0.08:
            return  # a recommendation and skills, no words
        pool = _matching(RECEIVED, exchange.title) or RECEIVED_ANY
        if pool is not RECEIVED_ANY:
            w.spoken_of.add(fold(exchange.title))
        note.comment = _compose(w, pool, PERSON, 0.45, first)
        return
    if w.rng.random() < 0.25:
        return
    fitting = [t for t in _matching(GAVE, exchange.title) if not w.used[t]]
    # Drawn in any case, so that what the demo's date changes elsewhere does not shift the draws.
    draw = w.rng.random()
    first_word = fold(exchange.title) not in w.spoken_of
    pool = fitting if fitting and (draw < 0.6 or first_word) else GAVE_ANY
    if pool is fitting:
        w.spoken_of.add(fold(exchange.title))
    note.comment = _compose(w, pool, GAVE_MORE, 0.15, first)


def _compose(w: _World, pool: list[str], more: list[str], chance: float, first: str) -> str:
    """A sentence of the pool, and sometimes one of `more`: always when the first one was
    used before, so that no two comments read the same."""
    main = w.pick(pool)
    words = {"first": first, "de_first": _de(first)}
    text = main.format(**words)
    if w.used[main] > 1 or text in w.comments or w.rng.random() < chance:
        for _ in more:
            candidate = f"{text} {w.pick(more).format(**words)}"
            if candidate not in w.comments:
                text = candidate
                break
    w.comments.add(text)
    return text


def _skills(w: _World, exchange: Exchange, author: User, count: int) -> list[Skill]:
    """Up to `count` of the skills the service would let this receiver confirm."""
    offered = sorted(feedback.confirmable_skills(exchange, author.id), key=lambda s: s.id)
    return sorted(w.rng.sample(offered, min(count, len(offered))), key=lambda s: s.name)


def _times(w: _World, notes: list[_Note]) -> None:
    """Double-blind: both appear when the second writes, else when the window closes; they are
    announced then (by the nightly job for a window that closed). Some were edited meanwhile."""
    by_exchange: dict[int, list[_Note]] = defaultdict(list)
    for note in notes:
        by_exchange[note.exchange.id].append(note)
    for found in by_exchange.values():
        found.sort(key=lambda n: n.at)
        ends = feedback.window_end(found[0].exchange)
        if len(found) == 2:
            shown = found[1].at
            announced = shown
        else:
            shown = ends
            announced = min(w.job_after(ends), w.now) if ends <= w.now else None
        for note in found:
            note.visible_from, note.announced_at = shown, announced
            note.updated_at = note.at
            room = min(shown, w.now) - note.at
            if room > timedelta(hours=6) and w.rng.random() < 0.12:
                note.updated_at = note.at + timedelta(minutes=w.rng.uniform(20, 300))


def _replies(w: _World, notes: list[_Note]) -> None:
    """About ten public replies by the member reviewed: to every feedback that does not
    recommend them, to some neutral ones, and a few thanks."""
    visible = [n for n in notes if n.visible_from <= w.now - timedelta(hours=6) and n.comment]
    chosen = [n for n in visible if n.recommendation == "not_recommended"]
    chosen += [n for n in visible if n.comment == DISPUTED[0]]
    neutral = [n for n in visible if n.recommendation == "neutral" and n not in chosen]
    chosen += w.rng.sample(neutral, min(2, len(neutral)))
    warm = [
        n
        for n in visible
        if n.recommendation == "recommends" and n.by_receiver and n.comment != DISPUTED[1]
    ]
    chosen += w.rng.sample(warm, min(max(0, 10 - len(chosen)), len(warm)))
    for note in sorted(chosen, key=lambda n: n.visible_from):
        at = w.awake(note.visible_from + timedelta(hours=w.rng.uniform(3, 96)))
        if at > w.now - timedelta(minutes=15):
            note.reply = ""
            continue
        if note.recommendation == "not_recommended":
            text = note.reply
        elif note.comment == DISPUTED[0]:
            text = DISPUTED_REPLY
        elif note.recommendation == "neutral":
            text = w.pick(REPLY_NEUTRAL)
        else:
            text = w.pick(REPLY_THANKS)
        note.reply, note.replied_at = text.format(first=_first(note.author)), at
    for note in notes:
        if note.replied_at is None:
            note.reply = ""


def _hidden_candidate(w: _World, notes: list[_Note]) -> tuple[_Note, User] | None:
    """The comment that will be hidden, and the coordinator who hides it: a receiver's warm
    feedback shown for a while, about a member with a coordinator in one of their spaces."""
    shaped = {VETERAN, MIXED, QUIET}
    candidates = []
    for note in notes:
        if (
            note.by_receiver
            and note.recommendation == "recommends"
            and note.comment
            and note.replied_at is None
            and note.visible_from < w.now - timedelta(days=12)
            and not {note.author.display_name, note.subject.display_name} & shaped
        ):
            spaces = rights.active_space_ids(note.subject.id)
            coordinators = sorted(
                db.session.scalars(
                    select(Membership.user_id).where(
                        Membership.space_id.in_(spaces),
                        Membership.status == "active",
                        Membership.role == "coordinator",
                        Membership.user_id.not_in(note.exchange.parties()),
                    )
                )
            )
            if coordinators:
                candidates.append((note, db.session.get(User, coordinators[0])))
    return w.rng.choice(candidates) if candidates else None


# ---------------------------------------------------------------------------- writing


def _write(w: _World, notes: list[_Note], hidden: tuple[_Note, User] | None) -> None:
    notes.sort(key=lambda n: (n.exchange.id, n.at))
    for note in notes:
        note.row = Feedback(
            exchange_id=note.exchange.id,
            author_id=note.author.id,
            subject_id=note.subject.id,
            recommendation=note.recommendation,
            comment=note.comment,
            created_at=note.at,
            updated_at=note.updated_at,
            visible_from=note.visible_from,
            announced_at=note.announced_at,
            reply=note.reply,
            replied_at=note.replied_at,
        )
        note.row.skills = note.skills
        db.session.add(note.row)
    if hidden is not None:
        hidden[0].comment = hidden[0].row.comment = HIDDEN_COMMENT
    db.session.flush()
    _notify(w, notes)
    if hidden is not None:
        _hide(w, *hidden)


def _note(user_id: int, kind: str, at: datetime, read: datetime | None, link: str, **data):
    db.session.add(
        Notification(user_id=user_id, kind=kind, data=data, link=link, created_at=at, read_at=read)
    )


def _notify(w: _World, notes: list[_Note]) -> None:
    """What the parties were told in the last 14 days: a feedback waits for theirs, the
    feedback appeared, a reply came. (The older history has no notifications.)"""
    since = w.now - WINDOW
    fresh = w.now - timedelta(days=3)

    def read(at: datetime, later: datetime | None = None) -> datetime | None:
        if later is not None:
            return later
        return None if at > fresh else at + timedelta(hours=w.rng.uniform(1, 20))

    by_exchange: dict[int, list[_Note]] = defaultdict(list)
    for note in notes:
        by_exchange[note.exchange.id].append(note)
    for found in by_exchange.values():
        exchange = found[0].exchange
        link = notifications.path("exchanges.show", exchange_id=exchange.id)
        first = found[0]
        if first.at >= since:
            answered = found[1].at - timedelta(minutes=5) if len(found) == 2 else None
            _note(first.subject.id, "feedback_waiting", first.at, read(first.at, answered), link,
                  member=first.author.display_name, title=exchange.title,
                  until=feedback.window_end(exchange).isoformat())  # fmt: skip
        announced = first.announced_at
        if announced is not None and announced >= since:
            for party in (exchange.provider, exchange.receiver):
                # Whoever wrote second was on the page when both appeared.
                on_page = len(found) == 2 and party is found[1].author
                seen = announced + timedelta(minutes=2) if on_page else None
                wrote = {f.author.id for f in found}
                shown = "both" if len(found) == 2 else ("mine" if party.id in wrote else "theirs")
                _note(party.id, "feedback_published", announced, read(announced, seen), link,
                      member=exchange.other(party.id).display_name,
                      title=exchange.title, shown=shown)  # fmt: skip
    for note in notes:
        if note.replied_at is not None and note.replied_at >= since:
            _note(note.author.id, "feedback_replied", note.replied_at, read(note.replied_at),
                  notifications.path("members.profile", user_id=note.subject.id),
                  member=note.subject.display_name)  # fmt: skip


def _hide(w: _World, note: _Note, coordinator: User) -> None:
    """The member the comment is about reports it; a coordinator of their space hides the words
    (the recommendation stays), logs why, and tells the author and the reporter."""
    row, subject = note.row, note.subject
    reported = w.awake(note.visible_from + timedelta(days=w.rng.uniform(1, 4)))
    hidden_at = w.awake(reported + timedelta(hours=w.rng.uniform(3, 20)))
    hidden_at = min(hidden_at, w.now - timedelta(hours=1))
    reason = HIDDEN_REASON.format(de_first=_de(_first(subject)))
    item = reports.feedback_item(row)
    report = Report(
        reporter_id=subject.id,
        feedback_id=row.id,
        reason="other",
        text=HIDDEN_REPORT,
        status="actioned",
        created_at=reported,
        handled_by_id=coordinator.id,
        handled_at=hidden_at,
        outcome="feedback_hidden",
    )
    db.session.add(report)
    db.session.flush()
    row.comment_hidden_at, row.comment_hidden_reason = hidden_at, reason
    spaces = rights.feedback_space_ids(row)
    entry = audit.record(
        coordinator.id,
        "feedback_hidden",
        reason=reason,
        space_id=next(s for s in spaces if coordinator.is_coordinator_of(s)),
        subject_user_id=note.author.id,
        target_type="feedback",
        target_id=row.id,
        part="comment",
        item=item,
        reports=[report.id],
    )
    entry.created_at = hidden_at
    profile = notifications.path("members.profile", user_id=subject.id)
    seen = hidden_at + timedelta(hours=2)
    _note(subject.id, "report_received", reported, reported, profile, item=item)
    _note(coordinator.id, "report_filed", reported, hidden_at, "/moderation", item=item)
    _note(subject.id, "report_handled", hidden_at, seen, "", item=item,
          outcome="feedback_hidden", note="")  # fmt: skip
    _note(note.author.id, "feedback_hidden", hidden_at, seen, profile, part="comment",
          member=subject.display_name, reason=reason)  # fmt: skip
