//! Designer preview: every shared widget in every state, with theme, care and language switches;
//! and the gallery of every page in every state (`gallery`).

pub mod gallery;
pub mod query;

use crate::api::ApiError;
use crate::clock::ServerClock;
use crate::i18n::{use_i18n, Lang};
use crate::ui::*;
use leptos::prelude::*;
use crate::ui::Keyed;
use std::time::Duration;

fn pictures(n: usize, w: u32, h: u32) -> Vec<Picture> {
    (0..n).map(|i| Picture { url: format!("/media/showcase-{n}-{i}-{w}x{h}.svg"), width: w, height: h }).collect()
}

/// A section of the showcase.
#[component]
fn Section(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <section class="showcase-section">
            <h2 class="cells-title">{title}</h2>
            <div class="showcase-body">{children()}</div>
        </section>
    }
}

#[component]
pub fn WidgetsPage() -> impl IntoView {
    let i18n = use_i18n();
    let theme = expect_context::<Theme>();
    let toaster = use_toast();
    let clock = expect_context::<ServerClock>();
    let t = move || i18n.t();

    let theme_tab = RwSignal::new(match theme.mode.get_untracked() {
        ThemeMode::Auto => 0,
        ThemeMode::Light => 1,
        ThemeMode::Dark => 2,
    });
    Effect::new(move |_| theme.mode.set([ThemeMode::Auto, ThemeMode::Light, ThemeMode::Dark][theme_tab.get().min(2)]));

    let loading = RwSignal::new(false);
    let checked = RwSignal::new(true);
    let switch_on = RwSignal::new(false);
    let quantity = RwSignal::new(2i64);
    let tab = RwSignal::new(1usize);
    let dialog = RwSignal::new(false);
    let sheet = RwSignal::new(false);
    let half = RwSignal::new(false);
    let popover = RwSignal::new(false);
    let preview = RwSignal::new(false);
    let preview_pictures = RwSignal::new(pictures(9, 800, 800));
    let preview_start = RwSignal::new(0usize);
    let open_preview = move |list: Vec<Picture>| {
        move |i: usize| {
            preview_pictures.set(list.clone());
            preview_start.set(i);
            preview.set(true);
        }
    };
    let target = RwSignal::new(clock.now_ms() + 90_000);

    // Form state, with the errors a designer wants to see.
    let name = RwSignal::new(String::new());
    let note = RwSignal::new("今天吃得很好".to_owned());
    let temperature = RwSignal::new("36.6".to_owned());
    let mood = RwSignal::new(Some("happy".to_owned()));
    let care_items = RwSignal::new(vec!["washing".to_owned()]);
    let rating = RwSignal::new(Some(4u8));
    let date = RwSignal::new(String::new());
    let time = RwSignal::new("21:00".to_owned());
    let remind = RwSignal::new(true);
    let show_errors = RwSignal::new(false);
    let err = move |text: &'static str| Signal::derive(move || show_errors.get().then(|| text.to_owned()));

    // A list that loads 10 at a time, fails every third load, ends at 40.
    let items = RwSignal::new((1..=10).collect::<Vec<u32>>());
    let page_state = RwSignal::new(PageState::Idle);
    let loads = StoredValue::new(0u32);
    let load_more = move || {
        page_state.set(PageState::Loading);
        loads.update_value(|n| *n += 1);
        let n = loads.get_value();
        set_timeout(move || {
            if n % 3 == 0 {
                page_state.set(PageState::Failed(i18n.t().err_network.to_owned()));
                return;
            }
            items.update(|v| {
                let start = v.len() as u32 + 1;
                v.extend(start..start + 10);
            });
            page_state.set(if items.with(Vec::len) >= 40 { PageState::Done } else { PageState::Idle });
        }, Duration::from_millis(400));
    };
    let refreshing = RwSignal::new(false);
    let refresh = move || {
        refreshing.set(true);
        set_timeout(move || {
            items.set((1..=10).collect());
            page_state.set(PageState::Idle);
            refreshing.set(false);
        }, Duration::from_millis(600));
    };

    let choices = |pairs: &[(&str, &str)]| pairs.iter().map(|(v, l)| Choice { value: (*v).into(), label: (*l).into() }).collect::<Vec<_>>();
    let moods = choices(&[("happy", "开心"), ("calm", "平稳"), ("upset", "低落")]);
    let care_options = choices(&[("dressing", "自己穿衣"), ("washing", "自己洗手"), ("tidying", "整理玩具")]);

    view! {
        <div class="showcase">
            <h1 class="page-title">{move || t().showcase_title}</h1>
            <Section title="Theme · 主题">
                <Tabs items=Signal::derive(move || vec![t().theme_auto.to_owned(), t().theme_light.to_owned(), t().theme_dark.to_owned()]) selected=theme_tab label=Signal::derive(move || t().showcase_title.to_owned())/>
                <SwitchField label=Signal::derive(move || t().care_mode.to_owned()) value=theme.care/>
                <div class="showcase-row">
                    <button class="btn btn-default btn-small" on:click=move |_| i18n.set(if i18n.lang.get_untracked() == Lang::Zh { Lang::En } else { Lang::Zh })>{move || t().language}</button>
                </div>
            </Section>
            <Section title="Button · 按钮">
                <div class="showcase-column">
                    <Button on_click=move || toaster.success(i18n.t().ok)>{move || t().ok}</Button>
                    <Button kind=ButtonKind::Default on_click=move || ()>{move || t().cancel}</Button>
                    <Button kind=ButtonKind::Warn on_click=move || dialog.set(true)>{move || t().delete}</Button>
                    <Button loading=loading on_click=move || {
                        loading.set(true);
                        set_timeout(move || loading.set(false), Duration::from_millis(1500));
                    }>{move || t().submit}</Button>
                    <Button disabled=Signal::derive(|| true) on_click=move || ()>{move || t().submit}</Button>
                </div>
            </Section>
            <Section title="Cell · 列表">
                <Cells>
                    <Cell title=Signal::derive(move || t().cart_title.to_owned()) value="3" href="/cart"/>
                    <Cell title=Signal::derive(move || t().seckill_title.to_owned()) desc=Signal::derive(move || t().seckill_live.to_owned())/>
                    <Cell title="一个非常非常长的名字，长到需要换行才能显示完整，看看列表会不会被撑坏".to_owned()/>
                </Cells>
            </Section>
            <Section title="Badge · Progress · Checkbox · Switch">
                <div class="showcase-row">
                    <Badge count=3u32/>
                    <Badge count=120u32/>
                    <Badge count=0u32 dot=true/>
                    <Checkbox checked=checked on_toggle=move |v| checked.set(v) label=Signal::derive(move || t().select_all.to_owned()) show_label=true/>
                    <Switch on=switch_on on_toggle=move |v| switch_on.set(v) label=Signal::derive(move || t().remind_me.to_owned())/>
                </div>
                <Progress value=0.35 label=Signal::derive(move || (t().grabbed_pct)(35))/>
            </Section>
            <Section title="Stepper · Countdown · Tabs">
                <div class="showcase-row">
                    <Stepper value=quantity min=1i64 max=5i64 on_change=move |v| quantity.set(v)
                        on_over=move |max| toaster.info((i18n.t().max_quantity)(max)) label=Signal::derive(move || t().quantity.to_owned())/>
                    <Countdown target=target/>
                    <button class="btn btn-default btn-small" on:click=move |_| target.set(clock.now_ms() + 5_000)>"5s"</button>
                </div>
                <Tabs items=vec!["08:00".to_owned(), "10:00".to_owned(), "12:00".to_owned(), "14:00".to_owned(), "20:00".to_owned()] selected=tab label=Signal::derive(move || t().seckill_title.to_owned())/>
            </Section>
            <Section title="Toast · Dialog · Sheet · Popover">
                <div class="showcase-row">
                    <button class="btn btn-default btn-small" on:click=move |_| toaster.info(i18n.t().loading)>"Toast"</button>
                    <button class="btn btn-default btn-small" on:click=move |_| toaster.error(i18n.t().err_network)>"Toast !"</button>
                    <button class="btn btn-default btn-small open-dialog" on:click=move |_| dialog.set(true)>"Dialog"</button>
                    <button class="btn btn-default btn-small open-sheet" on:click=move |_| sheet.set(true)>"ActionSheet"</button>
                    <button class="btn btn-default btn-small open-half" on:click=move |_| half.set(true)>"HalfScreen"</button>
                    <span class="popover-anchor">
                        <button class="btn btn-default btn-small open-popover" on:click=move |_| popover.set(!popover.get_untracked())>"Popover"</button>
                        <Popover open=popover label="menu">
                            <button class="popover-item" role="menuitem" on:click=move |_| popover.set(false)>"限时秒杀"</button>
                            <button class="popover-item" role="menuitem" on:click=move |_| popover.set(false)>"我的购物车"</button>
                        </Popover>
                    </span>
                </div>
                <Dialog open=dialog title=Signal::derive(move || t().confirm_delete.to_owned()) message=Signal::derive(move || t().confirm_delete_text.to_owned())
                    danger=true confirm_text=Signal::derive(move || t().delete.to_owned()) on_confirm=move || toaster.success(i18n.t().deleted)/>
                <ActionSheet open=sheet title=Signal::derive(move || t().share.to_owned())
                    actions=Signal::derive(move || vec![SheetAction { label: t().share_to_friend.to_owned(), danger: false }, SheetAction { label: t().copy_link.to_owned(), danger: false }, SheetAction { label: t().delete.to_owned(), danger: true }])
                    on_choose=move |i: usize| toaster.info(format!("#{}", i + 1))/>
                <HalfScreen open=half title=Signal::derive(move || t().coupons.to_owned())>
                    <Cells>
                        <Cell title="全场满200减20".to_owned() value="-¥20.00"/>
                        <Cell title="奥特莱斯满300减40".to_owned() desc="还差 ¥12.00 可用".to_owned()/>
                    </Cells>
                </HalfScreen>
            </Section>
            <Section title="Image · Grid · Preview">
                <div class="showcase-column">
                    <ImageGrid pictures=pictures(1, 1080, 720) on_open=open_preview(pictures(1, 1080, 720))/>
                    <ImageGrid pictures=pictures(1, 720, 1280) on_open=open_preview(pictures(1, 720, 1280))/>
                    <ImageGrid pictures=pictures(4, 800, 800) on_open=open_preview(pictures(4, 800, 800))/>
                    <ImageGrid pictures=pictures(9, 800, 800) on_open=open_preview(pictures(9, 800, 800))/>
                    <LazyImage src="/media/does-not-exist.png".to_owned() alt="broken".to_owned() size=(300, 100)/>
                </div>
                <ImagePreview open=preview pictures=preview_pictures start=preview_start/>
            </Section>
            <Section title="States · 状态">
                <Loading/>
                <Skeleton lines=2/>
                <Empty text=Signal::derive(move || Some(t().cart_empty.to_owned()))/>
                <ErrorView error=ApiError::Timeout on_retry=move || toaster.info(i18n.t().retry)/>
            </Section>
            <Section title="Form · 表单">
                <TextField label=Signal::derive(move || t().name.to_owned()) value=name required=true max_length=20 error=err("请填写姓名")/>
                <TextArea label=Signal::derive(move || t().note.to_owned()) value=note max_length=50 error=err("最多 50 字")/>
                <TextField label=Signal::derive(move || t().temperature.to_owned()) value=temperature kind=InputKind::Decimal unit="℃".to_owned() hint=form::range_hint(Some(35.0), Some(42.0), Some("℃")) error=err("应在 35 到 42 之间")/>
                <ChoiceField label=Signal::derive(move || t().mood.to_owned()) options=moods value=mood required=true/>
                <MultiChoiceField label=Signal::derive(move || t().self_care.to_owned()) options=care_options value=care_items/>
                <RatingField label=Signal::derive(move || t().appetite.to_owned()) value=rating required=true/>
                <TextField label=Signal::derive(move || t().date.to_owned()) value=date kind=InputKind::Date required=true error=err("请选择日期")/>
                <TextField label=Signal::derive(move || t().time.to_owned()) value=time kind=InputKind::Time/>
                <SwitchField label=Signal::derive(move || t().remind_me.to_owned()) value=remind/>
                <div class="showcase-row"><button class="btn btn-default btn-small show-errors" on:click=move |_| show_errors.update(|v| *v = !*v)>{move || t().validate}</button></div>
            </Section>
            <Section title="List · 列表加载">
                <PullToRefresh refreshing=refreshing on_refresh=move || refresh()>
                    <Cells>
                        <Keyed each=move || items.get() key=|n| *n let:n>
                            <Cell title=format!("#{n}")/>
                        </Keyed>
                    </Cells>
                    <LoadMore state=page_state on_load_more=move || load_more()/>
                </PullToRefresh>
            </Section>
        </div>
    }
}
