"""`auditkit vendor ...`: add, list, show, edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from auditkit.catalogue import Catalogue
from auditkit.cli.choices import SERVICES
from auditkit.cli.settings import (
    Labels,
    Settings,
    columns,
    json_option,
    page_options,
    pass_settings,
    print_json,
    print_json_table,
    safe,
    table,
)

LEVELS = click.Choice(["low", "medium", "high"])


def profile_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The vendor fields shared by `add` and `edit` (all optional for `edit`)."""
    options = [
        click.option(
            "--service",
            "services",
            multiple=True,
            type=click.Choice(SERVICES),
            help="Service outsourced to the vendor (repeatable).",
        ),
        click.option("--contact-name", help="Security contact at the vendor."),
        click.option("--contact-email", help="Security contact's e-mail."),
        click.option(
            "--card-data/--no-card-data",
            "handles_card_data",
            default=None,
            help="Stores, processes or transmits payment card data.",
        ),
        click.option(
            "--personal-data",
            type=click.Choice(["none", "low", "medium", "high"]),
            help="Personal data volume: low <1k, medium <100k, high >=100k records.",
        ),
        click.option(
            "--system-access",
            type=click.Choice(["none", "limited", "privileged"]),
            help="Access to our systems.",
        ),
        click.option("--criticality", type=LEVELS, help="Business criticality of the service."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _fields(kwargs: dict[str, Any]) -> dict[str, Any]:
    fields = dict(kwargs)
    fields["services"] = list(fields["services"]) or None
    return fields


def vendor_dict(vendor: Any) -> dict[str, Any]:
    from auditkit.cli.listing_json import risk_dict
    from auditkit.risk import inherent_risk

    return {
        **vendor.model_dump(mode="json"),
        "inherent_risk": risk_dict(inherent_risk(vendor.profile)),
        "meti_level": vendor.profile.meti_level,
    }


class FinalCells:
    """Score, rating and recommendation columns ("-" when there is no final result)."""

    def __init__(self, words: Catalogue) -> None:
        self.ratings = Labels(words, "ratings")
        self.recommendations = Labels(words, "recommendations")

    def __call__(self, score: Any) -> list[str]:
        if score is None:
            return ["-", "-", "-"]
        overall = "-" if score.overall is None else f"{score.overall:.1f}"
        return [overall, self.ratings[score.rating], self.recommendations[score.recommendation]]


@click.group()
def vendor() -> None:
    """Manage vendors and their risk profile."""


@vendor.command()
@click.argument("name")
@profile_options
@json_option
@pass_settings
def add(settings: Settings, /, name: str, as_json: bool, **kwargs: Any) -> None:
    """Register a vendor."""
    from auditkit.risk import inherent_risk

    created = settings.workspace.vendors.add(name=name, **_fields(kwargs))
    if as_json:
        print_json(vendor_dict(created))
        return
    risk = inherent_risk(created.profile)
    click.echo(
        settings.words.cli(
            "vendor_added",
            id=created.id,
            name=safe(created.name),
            tier=risk.tier,
            months=risk.review_months,
        )
    )


@vendor.command("list")
@page_options
@json_option
@pass_settings
def list_(settings: Settings, limit: int | None, offset: int, as_json: bool) -> None:
    """List vendors: inherent risk tier and the latest final audit's score, rating and
    recommendation."""
    vendors = settings.workspace.vendors
    if as_json:
        from auditkit.cli import listing_json

        print_json_table(vendors.table(limit, offset), listing_json.vendors(vendors.profile_risk))
        return
    found, risk = vendors.listing(limit, offset), vendors.risk
    words = settings.words
    if not found:
        click.echo(words.cli("no_vendors"))
        return
    final_cells, services = FinalCells(words), Labels(words, "services")
    rows = [
        [
            v.id,
            v.name,
            risk(v).tier,
            ", ".join([services[s] for s in v.services]),
            *final_cells(v.latest_final),
        ]
        for v in found
    ]
    click.echo(table(rows, columns(words, "vendors")))


@vendor.command()
@click.argument("vendor_ref", metavar="VENDOR")
@json_option
@pass_settings
def show(settings: Settings, vendor_ref: str, as_json: bool) -> None:
    """Show a vendor and how its inherent risk tier is derived."""
    from auditkit.risk import explain, inherent_risk, meti_explain

    found = settings.workspace.vendors.get(vendor_ref)
    if as_json:
        print_json(vendor_dict(found))
        return
    p, words = found.profile, settings.words
    services = ", ".join(words.get("services", s.value) for s in found.services) or "-"
    contact = f"{found.contact_name or '-'} <{found.contact_email or '-'}>"
    click.echo(words.cli("vendor_title", name=safe(found.name), id=found.id))
    click.echo(words.cli("vendor_services", services=services))
    click.echo(words.cli("vendor_contact", contact=safe(contact)))
    click.echo(
        words.cli(
            "vendor_profile",
            card="yes" if p.handles_card_data else "no",
            personal=p.personal_data,
            access=p.system_access,
            criticality=p.criticality,
        )
    )
    click.echo(words.cli("vendor_risk"))
    for line in explain(inherent_risk(p)):
        click.echo(f"  {words.render(line)}")
    click.echo(words.cli("vendor_meti"))
    for line in meti_explain(p):
        click.echo(f"  {words.render(line)}")


@vendor.command()
@click.argument("vendor_ref", metavar="VENDOR")
@click.option("--name", help="New name.")
@profile_options
@json_option
@pass_settings
def edit(
    settings: Settings, /, vendor_ref: str, name: str | None, as_json: bool, **kwargs: Any
) -> None:
    """Change a vendor's details or profile (only the options given)."""
    updated = settings.workspace.vendors.edit(vendor_ref, name=name, **_fields(kwargs))
    if as_json:
        print_json(vendor_dict(updated))
        return
    click.echo(settings.words.cli("vendor_updated", id=updated.id, name=safe(updated.name)))
