"""`auditkit vendor ...`: add, list, show, edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from auditkit.cli.choices import SERVICES
from auditkit.cli.context import (
    Settings,
    json_option,
    page_options,
    pass_settings,
    print_json,
    print_json_rows,
    safe,
    table,
)

if TYPE_CHECKING:
    from auditkit.models.listing import VendorRow
    from auditkit.risk import InherentRisk

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
    from auditkit.risk import inherent_risk

    risk = inherent_risk(vendor.profile)
    return {
        **vendor.model_dump(mode="json"),
        "inherent_risk": {
            "tier": risk.tier,
            "level": risk.level,
            "points": risk.points,
            "review_months": risk.review_months,
        },
        "meti_level": vendor.profile.meti_level,
    }


def row_dict(row: VendorRow, risk: InherentRisk) -> dict[str, Any]:
    """A listed vendor as `vendor_dict` shows the full vendor, with its latest final result."""
    from auditkit.models.listing import VendorRow
    from auditkit.models.meti import meti_level

    profile = row[5:9]
    return {
        "id": row.id,
        "name": row.name,
        "services": row.services,
        "contact_name": row.contact_name,
        "contact_email": row.contact_email,
        "profile": dict(zip(VendorRow._fields[5:9], profile, strict=True)),
        "inherent_risk": {
            "tier": risk.tier,
            "level": risk.level,
            "points": risk.points,
            "review_months": risk.review_months,
        },
        "meti_level": meti_level(
            row.handles_card_data, row.personal_data, row.criticality, row.system_access
        ),
        "latest_final": final_dict(row.latest_final),
    }


def final_dict(score: Any) -> dict[str, Any] | None:
    """The latest final audit's result for --json, or None when no final audit has one."""
    from dataclasses import asdict

    return None if score is None else asdict(score)


def final_cells(score: Any) -> list[str]:
    """Score, rating and recommendation columns ("-" when there is no final result)."""
    if score is None:
        return ["-", "-", "-"]
    overall = "-" if score.overall is None else f"{score.overall:.1f}"
    return [overall, score.rating, score.recommendation]


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
    cycle = f"tier {risk.tier}, review every {risk.review_months} months"
    click.echo(f"vendor {created.id} added: {safe(created.name)} ({cycle})")


@vendor.command("list")
@page_options
@json_option
@pass_settings
def list_(settings: Settings, limit: int | None, offset: int, as_json: bool) -> None:
    """List vendors: inherent risk tier and the latest final audit's score, rating and
    recommendation."""
    found = settings.workspace.vendors.listing(limit, offset)
    risk = settings.workspace.vendors.risk
    if as_json:
        print_json_rows(row_dict(v, risk(v)) for v in found)
        return
    if not found:
        click.echo("no vendors yet; add one with 'auditkit vendor add NAME'")
        return
    rows = [
        [v.id, v.name, risk(v).tier, ", ".join(v.services), *final_cells(v.latest_final)]
        for v in found
    ]
    headers = ["id", "name", "tier", "services", "score", "rating", "recommendation"]
    click.echo(table(rows, headers))


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
    p = found.profile
    click.echo(f"{safe(found.name)} (id {found.id})")
    click.echo(f"services: {', '.join(s.value for s in found.services) or '-'}")
    click.echo(safe(f"contact: {found.contact_name or '-'} <{found.contact_email or '-'}>"))
    click.echo(
        f"profile: card data {'yes' if p.handles_card_data else 'no'}, personal data "
        f"{p.personal_data}, system access {p.system_access}, criticality {p.criticality}"
    )
    click.echo("inherent risk:")
    for line in explain(inherent_risk(p)):
        click.echo(f"  {line}")
    click.echo("METI supply-chain security level to require:")
    for line in meti_explain(p):
        click.echo(f"  {line}")


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
    click.echo(f"vendor {updated.id} updated: {safe(updated.name)}")
